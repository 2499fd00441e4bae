// ESLint flat config: typescript-eslint for TS, eslint-plugin-svelte for the
// renderer's components. Type checking itself is tsc's and svelte-check's job
// (npm run lint runs all three); these rules catch what they do not.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import layers from './eslint/layers.js';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'release/', 'test-results/', 'playwright-report/', 'e2e-artifacts/', '.cache/', 'coverage/', 'test/bpf/build/', 'assets/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    plugins: { layers },
    rules: { 'layers/allowed-imports': 'error' },
  },
  {
    files: ['src/renderer/**', 'e2e/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Setup modules (docs/userspace.md) run in the engine's sandbox, which provides print().
    files: ['**/*.setup.mjs', '**/*.setup.js', '**/*.setup.ts'],
    languageOptions: { globals: { print: 'readonly' } },
  },
  {
    files: ['src/main/host/bridge.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
);

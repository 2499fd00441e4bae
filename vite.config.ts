import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

// The renderer is served by two hosts: Electron (app:// protocol) and the
// browser host (http://127.0.0.1). Relative asset URLs work under both.
export default defineConfig({
  root,
  base: './',
  plugins: [svelte()],
  build: {
    outDir,
    emptyOutDir: true,
    // No inline scripts or eval: the hosts' CSP forbids them.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: { host: '127.0.0.1', strictPort: false },
});

#!/usr/bin/env node
// npm test: install what is missing (npm packages; as root, the Debian
// packages the tests need), build the BPF test fixtures, run the unit tests
// (vitest), build the app, run the e2e tests (Playwright), and print one final
// line "N passed, N failed" summing both. Exits non-zero on any failure.
// Dependency-free so it works on a fresh clone.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, electronBinary, installDependencies, needsInstall, run } from './launch.mjs';

/** The static checks `npm run lint` runs, each counted as one passed or failed check. */
export const STATIC_CHECKS = [
  ['type check (tsc)', [['typescript', 'bin/tsc'], '-p', 'tsconfig.json', '--noEmit']],
  ['svelte-check', [['svelte-check', 'bin/svelte-check'], '--tsconfig', './tsconfig.json', '--fail-on-warnings=false', '--output', 'human']],
  ['eslint (rules and layers)', [['eslint', 'bin/eslint.js'], '.']],
];

export const DEB_PACKAGES = ['clang-19', 'llvm-19', 'chromium', 'xvfb', 'xauth', 'gcc', 'libbpf-dev'];

/** Debian packages from `wanted` that dpkg does not report as installed. */
export function missingDebPackages(wanted, isInstalled) {
  return wanted.filter((p) => !isInstalled(p));
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Passed/failed counts from vitest's and Playwright's JSON reports (either may be missing). */
export function summarize(vitestJson, playwrightJson) {
  let passed = 0;
  let failed = 0;
  if (vitestJson) {
    passed += vitestJson.numPassedTests ?? 0;
    failed += vitestJson.numFailedTests ?? 0;
  }
  if (playwrightJson?.stats) {
    const s = playwrightJson.stats;
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += s.unexpected ?? 0;
  }
  return { passed, failed };
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function ensureDebPackages() {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/dpkg-query')) return;
  const missing = missingDebPackages(DEB_PACKAGES, dpkgInstalled);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    process.stdout.write(`test: missing Debian packages ${missing.join(' ')} (not root: install them with apt-get)\n`);
    return;
  }
  process.stdout.write(`test: installing Debian packages ${missing.join(' ')}…\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update'], { env }) !== 0 || run('apt-get', ['install', '-y', ...missing], { env }) !== 0) {
    process.stdout.write('test: apt-get could not install them; the tests that need them will fail\n');
  }
}

async function main() {
  const failures = [];
  if (needsInstall() && !installDependencies()) process.exit(1);
  ensureDebPackages();

  const cache = join(ROOT, '.cache');
  mkdirSync(cache, { recursive: true });
  const vitestOut = join(cache, 'vitest-results.json');
  const pwOut = join(cache, 'playwright-results.json');
  rmSync(vitestOut, { force: true });
  rmSync(pwOut, { force: true });

  if (existsSync(join(ROOT, 'scripts', 'build-bpf.mjs'))) {
    if (run(process.execPath, [join(ROOT, 'scripts', 'build-bpf.mjs'), '--tests-only']) !== 0) failures.push('BPF test fixtures');
  }

  const bin = (pkg, file) => join(ROOT, 'node_modules', pkg, file);

  // Types, Svelte and lint (layer rules included): vitest and Vite strip types,
  // so these are the only checks that see a missing case or an upward import.
  let checksPassed = 0;
  let checksFailed = 0;
  for (const [name, args] of STATIC_CHECKS) {
    if (run(process.execPath, [bin(...args[0]), ...args.slice(1)]) === 0) checksPassed++;
    else {
      checksFailed++;
      failures.push(name);
    }
  }
  if (run(process.execPath, [bin('vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile=${vitestOut}`]) !== 0) {
    failures.push('unit tests (vitest)');
  }

  if (run(process.execPath, [join(ROOT, 'scripts', 'build.mjs')]) !== 0) {
    failures.push('build');
  } else {
    // Electron needs a display; Chromium runs headless either way.
    const pw = [bin('@playwright/test', 'cli.js'), 'test'];
    const wrap = process.platform === 'linux' && !process.env.DISPLAY && electronBinary() && existsSync('/usr/bin/xvfb-run');
    const status = wrap ? run('xvfb-run', ['-a', process.execPath, ...pw]) : run(process.execPath, pw);
    if (status !== 0) failures.push('e2e tests (playwright)');
  }

  const tests = summarize(readJson(vitestOut), readJson(pwOut));
  const passed = tests.passed + checksPassed;
  const failed = tests.failed + checksFailed;
  if (failures.length > 0) process.stdout.write(`test: failed: ${failures.join(', ')}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(failures.length > 0 || failed > 0 ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();

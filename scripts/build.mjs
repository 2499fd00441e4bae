#!/usr/bin/env node
// npm run build: the renderer (vite -> dist/renderer), Electron main and
// preload (esbuild -> dist/electron/*.cjs) and the browser host's session
// bridge (esbuild -> dist/host/bridge.js).
//
// Usage: node scripts/build.mjs [--renderer-only | --electron-only]

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const doRenderer = !args.has('--electron-only');
const doElectron = !args.has('--renderer-only');

function fail(message) {
  process.stderr.write(`build: ${message}\n`);
  process.exit(1);
}

function buildRenderer() {
  if (!existsSync(join(ROOT, 'src/renderer/index.html'))) {
    process.stdout.write('build: src/renderer/index.html does not exist yet; skipping the renderer\n');
    return;
  }
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  if (!existsSync(vite)) fail('vite is not installed (run npm ci)');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', join(ROOT, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) fail(`vite build of the renderer failed (exit ${r.status ?? r.signal})`);
  process.stdout.write('build: renderer -> dist/renderer\n');
}

async function buildElectron() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    fail('esbuild is not installed (run npm ci)');
  }
  mkdirSync(join(ROOT, 'dist/electron'), { recursive: true });
  mkdirSync(join(ROOT, 'dist/host'), { recursive: true });
  const common = { bundle: true, logLevel: 'warning', sourcemap: true, absWorkingDir: ROOT };
  // import.meta.url has no meaning in a CommonJS bundle; main passes every path explicitly.
  const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['electron', 'esbuild'], define: { 'import.meta.url': '__scxray_import_meta_url' }, banner: { js: 'const __scxray_import_meta_url = require("node:url").pathToFileURL(__filename).href;' } };
  await esbuild.build({ ...node, entryPoints: ['src/main/electron/main.ts'], outfile: 'dist/electron/main.cjs' });
  await esbuild.build({ ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['electron'], entryPoints: ['src/main/electron/preload.ts'], outfile: 'dist/electron/preload.cjs' });
  await esbuild.build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/main/host/bridge.ts'], outfile: 'dist/host/bridge.js' });
  process.stdout.write('build: electron main/preload -> dist/electron, session bridge -> dist/host\n');
}

if (doRenderer) buildRenderer();
if (doElectron) await buildElectron().catch((e) => fail(e.message));

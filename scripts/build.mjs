#!/usr/bin/env node
// npm run build: the renderer (vite -> dist/renderer), Electron main, its
// session worker and the preload (esbuild -> dist/electron/*.cjs) and the browser host's session
// bridge (esbuild -> dist/host/bridge.js).
//
// Usage: node scripts/build.mjs [--renderer-only | --electron-only]

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
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

function sourceUrlPlugin() {
  return {
    name: 'scxray-source-url',
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const rel = JSON.stringify(relative(ROOT, args.path).split(sep).join('/'));
        const url = `require("node:url").pathToFileURL(require("node:path").join(__scxray_app_root, ${rel})).href`;
        return { contents: text.replaceAll('import.meta.url', `(${url})`), loader: 'ts' };
      });
    },
  };
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
  // Sources find their assets with new URL('../../../assets/…', import.meta.url).
  // In the CommonJS bundle (dist/electron/main.cjs) each module's import.meta.url
  // becomes the URL its source file would have under the app root, so those
  // relative paths still land in <app>/assets (inside app.asar when packaged).
  const node = {
    ...common,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron', 'esbuild'],
    banner: { js: 'const __scxray_app_root = require("node:path").join(__dirname, "..", "..");' },
    plugins: [sourceUrlPlugin()],
  };
  await esbuild.build({ ...node, entryPoints: ['src/main/electron/main.ts'], outfile: 'dist/electron/main.cjs' });
  await esbuild.build({ ...node, entryPoints: ['src/main/session/session_worker.ts'], outfile: 'dist/electron/session_worker.cjs' });
  await esbuild.build({ ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['electron'], entryPoints: ['src/main/electron/preload.ts'], outfile: 'dist/electron/preload.cjs' });
  await esbuild.build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/main/host/bridge.ts'], outfile: 'dist/host/bridge.js' });
  process.stdout.write('build: electron main/preload -> dist/electron, session bridge -> dist/host\n');
}

if (doRenderer) buildRenderer();
if (doElectron) await buildElectron().catch((e) => fail(e.message));

#!/usr/bin/env node
// npm start: install what is missing, build, and open scxray — the Electron
// window where its binary exists and a display is available, otherwise the
// browser host (printing its URL). Dependency-free: runs on a fresh clone
// before node_modules exists. scripts/test.mjs reuses the helpers exported
// here; the decisions are pure functions so they can be unit tested.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export const ELECTRON_FALLBACK_NOTICE =
  'notice: the Electron binary could not be downloaded; installed without it (ELECTRON_SKIP_BINARY_DOWNLOAD=1), scxray will use the browser host';

/** Whether `npm ci` is needed: no node_modules, or a package the scripts need is absent. */
export function needsInstall(root = ROOT) {
  const nm = join(root, 'node_modules');
  return !existsSync(nm) || ['vite', 'vitest', 'esbuild', 'tsx', '@playwright/test'].some((p) => !existsSync(join(nm, p, 'package.json')));
}

/**
 * Decide what to do after an `npm ci` attempt: done, retry without the Electron
 * binary (its download is the one part that needs a network beyond the npm
 * registry), or give up.
 */
export function afterInstallAttempt({ status, skippedElectron }) {
  if (status === 0) return skippedElectron ? 'done-without-electron' : 'done';
  return skippedElectron ? 'fail' : 'retry-without-electron';
}

/** Run `npm ci`, falling back to ELECTRON_SKIP_BINARY_DOWNLOAD=1 with a one-line notice. */
export function installDependencies(root = ROOT, log = (s) => process.stdout.write(`${s}\n`)) {
  let skippedElectron = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1';
  for (;;) {
    log(`scxray: installing npm packages (npm ci${skippedElectron ? ', without the Electron binary' : ''})…`);
    const env = { ...process.env, ...(skippedElectron ? { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } : {}) };
    const r = spawnSync(NPM, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', env });
    const next = afterInstallAttempt({ status: r.status ?? 1, skippedElectron });
    if (next === 'done') return true;
    if (next === 'done-without-electron') {
      if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD !== '1') log(ELECTRON_FALLBACK_NOTICE);
      return true;
    }
    if (next === 'fail') {
      log('scxray: npm ci failed even without the Electron binary; see the npm output above');
      return false;
    }
    skippedElectron = true;
  }
}

/** Path of the downloaded Electron executable, or null. */
export function electronBinary(root = ROOT) {
  const pathTxt = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const exe = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

/** Electron window or browser host, and the one line that says why when it is the browser. */
export function launchPlan({ electronExe, platform, env }) {
  if (!electronExe) {
    return { kind: 'browser', reason: 'Electron binary not installed (its download is not available here); starting the browser host instead.' };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { kind: 'browser', reason: 'no display for the Electron window (DISPLAY is not set); starting the browser host instead.' };
  }
  return { kind: 'electron', exe: electronExe };
}

/** The URL, with its per-launch token, in the browser host's "serving at" line; null for any other line. */
export function servingUrl(text) {
  const m = /serving at (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(text);
  return m ? m[1] : null;
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  return r.status ?? 1;
}

async function main() {
  if (needsInstall() && !installDependencies()) process.exit(1);
  if (run(process.execPath, [join(ROOT, 'scripts', 'build.mjs')]) !== 0) {
    process.stderr.write('scxray: the build failed; see above\n');
    process.exit(1);
  }
  const plan = launchPlan({ electronExe: electronBinary(), platform: process.platform, env: process.env });
  let child;
  if (plan.kind === 'electron') {
    child = spawn(plan.exe, ['.'], { cwd: ROOT, stdio: 'inherit' });
  } else {
    process.stdout.write(`scxray: ${plan.reason}\n`);
    const port = process.env.SCXRAY_PORT ?? '0';
    child = spawn(process.execPath, [join(ROOT, 'bin', 'scxray.mjs'), 'serve', '--port', port], { cwd: ROOT, stdio: ['inherit', 'pipe', 'inherit'] });
    let told = false;
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      const url = told ? null : servingUrl(d.toString());
      if (url) {
        told = true;
        process.stdout.write(`scxray: open ${url} in your browser; the token in it admits only this launch (do not share it)\n`);
      }
    });
  }
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();

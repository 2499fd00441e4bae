#!/usr/bin/env node
// Refresh the README image docs/screenshot.png on purpose: builds the app and
// runs the one e2e test that takes it (trace_replay's rbtree view) with
// SCXRAY_REFRESH_DOCS_SCREENSHOT=1. Ordinary test runs write their
// screenshots under test-results/ only and never touch the tracked file.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function step(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`refresh-screenshot: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

step(process.execPath, [resolve(ROOT, 'scripts', 'build.mjs')]);
step(process.execPath, [resolve(ROOT, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', 'e2e/trace_replay.spec.ts', '--project=browser', '-g', 'rbtree'], {
  SCXRAY_REFRESH_DOCS_SCREENSHOT: '1',
});
console.log('refresh-screenshot: docs/screenshot.png updated (review it with git diff --stat docs/screenshot.png)');

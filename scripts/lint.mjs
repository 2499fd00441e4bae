#!/usr/bin/env node
// npm run lint: the static checks npm test counts (scripts/test.mjs
// STATIC_CHECKS: tsc, svelte-check, ESLint with the layer rules), run one after
// another from the one list, so the two commands cannot drift apart. Exits
// non-zero when any fails, after running them all.

import { join } from 'node:path';
import { ROOT, run } from './launch.mjs';
import { STATIC_CHECKS } from './test.mjs';

const failed = [];
for (const [name, [[pkg, file], ...args]] of STATIC_CHECKS) {
  process.stdout.write(`lint: ${name}\n`);
  if (run(process.execPath, [join(ROOT, 'node_modules', pkg, file), ...args]) !== 0) failed.push(name);
}
if (failed.length > 0) process.stdout.write(`lint: failed: ${failed.join(', ')}\n`);
process.exit(failed.length > 0 ? 1 : 0);

// Test-only: compile the loader's C fixtures (test/bpf/loader/*.bpf.c) with
// clang-19 into the gitignored test/bpf/build/loader/, the same place
// `npm run build:bpf` puts them, and reuse the object while it is newer than
// its sources.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const FIXTURE_SRC = join(REPO_ROOT, 'test/bpf/loader');
export const FIXTURE_OUT = join(REPO_ROOT, 'test/bpf/build/loader');

function newestHeader(): number {
  let t = 0;
  for (const f of readdirSync(FIXTURE_SRC)) if (f.endsWith('.h')) t = Math.max(t, statSync(join(FIXTURE_SRC, f)).mtimeMs);
  return t;
}

/**
 * Path of the compiled object for test/bpf/loader/<name>.bpf.c, compiling it
 * if stale. `debug: false` builds without -g: no .BTF/.BTF.ext, like the VM benchmark objects.
 */
export function fixturePath(name: string, opts: { debug?: boolean } = {}): string {
  const debug = opts.debug ?? true;
  const src = join(FIXTURE_SRC, `${name}.bpf.c`);
  const out = join(FIXTURE_OUT, debug ? `${name}.bpf.o` : `${name}.nobtf.bpf.o`);
  const srcTime = Math.max(statSync(src).mtimeMs, newestHeader());
  if (existsSync(out) && statSync(out).mtimeMs >= srcTime) return out;
  mkdirSync(FIXTURE_OUT, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  execFileSync('clang-19', [...(debug ? ['-g'] : []), '-O2', '-target', 'bpf', '-mcpu=v3', '-I', FIXTURE_SRC, '-I', join(REPO_ROOT, 'assets/include'), '-c', src, '-o', tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
  renameSync(tmp, out);
  return out;
}

export function fixtureBytes(name: string, opts: { debug?: boolean } = {}): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(name, opts)));
}

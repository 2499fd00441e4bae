// Test-only: compile the simulator's C test schedulers (test/bpf/sim/*.bpf.c)
// with clang-19 into the gitignored test/bpf/build/sim/ (where
// `npm run build:bpf` puts them), reusing an object while it is newer than
// its source; and read the committed example schedulers.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SRC = join(REPO_ROOT, 'test/bpf/sim');
const OUT = join(REPO_ROOT, 'test/bpf/build/sim');

export function simFixture(name: string): Uint8Array {
  const src = join(SRC, `${name}.bpf.c`);
  const out = join(OUT, `${name}.bpf.o`);
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) {
    mkdirSync(OUT, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    execFileSync('clang-19', ['-g', '-O2', '-target', 'bpf', '-mcpu=v3', '-I', join(REPO_ROOT, 'assets/include'), '-c', src, '-o', tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(tmp, out);
  }
  return new Uint8Array(readFileSync(out));
}

export function exampleScheduler(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(REPO_ROOT, 'assets/schedulers', `${name}.bpf.o`)));
}

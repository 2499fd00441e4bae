// Test-only: the simulator's C test schedulers (test/bpf/sim/*.bpf.c), built
// on demand by the one BPF compile helper (test/support/bpf.ts); and the
// committed example schedulers.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, bpfFixtureBytes } from '../../../test/support/bpf';

export { REPO_ROOT };

export function simFixture(name: string): Uint8Array {
  return bpfFixtureBytes(`test/bpf/sim/${name}.bpf.c`);
}

export function exampleScheduler(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(REPO_ROOT, 'assets/schedulers', `${name}.bpf.o`)));
}

// Test-only: the loader's C fixtures (test/bpf/loader/*.bpf.c), built on
// demand into test/bpf/build/loader/ by the one BPF compile helper
// (test/support/bpf.ts).

import { join } from 'node:path';
import { REPO_ROOT, bpfFixtureBytes, bpfFixturePath } from '../../../../test/support/bpf';

export { REPO_ROOT };
export const FIXTURE_SRC = join(REPO_ROOT, 'test/bpf/loader');
export const FIXTURE_OUT = join(REPO_ROOT, 'test/bpf/build/loader');

/**
 * Path of the compiled object for test/bpf/loader/<name>.bpf.c, compiling it
 * if stale. `debug: false` builds without -g: no .BTF/.BTF.ext, like the VM benchmark objects.
 */
export function fixturePath(name: string, opts: { debug?: boolean } = {}): string {
  return bpfFixturePath(`test/bpf/loader/${name}.bpf.c`, opts);
}

export function fixtureBytes(name: string, opts: { debug?: boolean } = {}): Uint8Array {
  return bpfFixtureBytes(`test/bpf/loader/${name}.bpf.c`, opts);
}

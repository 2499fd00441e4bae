// Mutation fuzzing of objects for the loader: random byte flips, 32-bit
// field overwrites (offsets, sizes, counts are 32-bit in ELF/BTF) and
// truncations of a real fixture. A case passes when openObject either loads
// or throws a LoadError; anything else (another exception, a hang) is a bug.

import { openObject } from '../index';
import type { KernelEnv } from '../kernel_env';
import { LoadError } from '../../base/load_error';
import { mulberry32 } from '../../../base/prng';

/** Small deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
export const rng = mulberry32;


const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 8, 12, 16, 24];

export function mutate(bytes: Uint8Array, seed: number): Uint8Array {
  const r = rng(seed);
  const pick = (n: number) => Math.floor(r() * n);
  const mode = pick(10);
  if (mode === 0) return bytes.slice(0, pick(bytes.length));
  const out = bytes.slice();
  const dv = new DataView(out.buffer);
  const edits = 1 + pick(4);
  for (let i = 0; i < edits; i++) {
    const at = pick(out.length);
    if (mode <= 5) out[at] = out[at]! ^ (1 << pick(8));
    else if (mode <= 8 && at + 4 <= out.length) dv.setUint32(at & ~3, INTERESTING[pick(INTERESTING.length)]!, true);
    else out[at] = pick(256);
  }
  return out;
}

export type FuzzOutcome = 'loaded' | 'load_error';

/** Run one case; throws (with the seed in the message) when the loader misbehaves. */
export function fuzzCase(fixture: Uint8Array, seed: number, kernel: KernelEnv, name: string): FuzzOutcome {
  const input = mutate(fixture, seed);
  try {
    openObject(input, { file: name, kernel });
    return 'loaded';
  } catch (e) {
    if (e instanceof LoadError) {
      if (e.detail.startsWith('malformed object (')) throw new Error(`seed ${seed} on ${name}: reader bug caught by the last-resort guard: ${e.message}`);
      return 'load_error';
    }
    const msg = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e);
    throw new Error(`seed ${seed} on ${name}: openObject threw a non-LoadError: ${msg}`);
  }
}

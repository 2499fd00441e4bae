// The open-coded bit iterator (kernel/bpf/helpers.c, v6.11+) behind
// `bpf_for_each(bits, bit, ptr, nr_words)` and the upstream sched_ext
// for_each_possible_cpu/for_each_online_cpu wrappers. The 16-byte
// struct bpf_iter_bits on the program's stack is laid out as the kernel's
// struct bpf_iter_bits_kern:
//   +0  u64  a copy of the words when nr_words == 1, else (kernel: a pointer
//            to an allocated copy) here the id of a snapshot kept on the side
//   +8  s32  nr_bits (0 once new() failed)
//   +12 s32  bit, the last bit returned (-1 before the first); next()
//            returns a pointer to it.
// new() copies the memory (bpf_probe_read_kernel semantics: an unreadable
// address fails with -EFAULT instead of faulting the program), so later
// changes to the source do not affect an iteration in progress.

import type { NativeEnv } from '../vm/abi';
import type { RuntimeCore } from './core';
import { E2BIG, EFAULT, EINVAL } from './errno';
import { NULL, type KfuncTable } from './natives';

/** BITS_ITER_NR_WORDS_MAX: the most words one iterator may cover. */
export const BITS_ITER_NR_WORDS_MAX = 511;

export function registerIterBits(k: KfuncTable, core: RuntimeCore): void {
  const space = core.space;
  const state = (env: NativeEnv) => space.resolve(env.arg(1), 16, true);
  /** Copies of sources wider than one word, by the id stored in the iterator. */
  const copies = new Map<number, Uint8Array>();
  let nextId = 1;

  const release = (v: DataView, offset: number) => {
    if (v.getInt32(offset + 8, true) > 64) copies.delete(Number(v.getBigUint64(offset, true)));
  };

  k.set('bpf_iter_bits_new', (env) => {
    const { region, offset } = state(env);
    const v = region.view;
    const src = env.arg(2);
    const nrWords = env.argU32(3);
    v.setBigUint64(offset, 0n, true);
    v.setInt32(offset + 8, 0, true);
    v.setInt32(offset + 12, -1, true);
    if (src === NULL || nrWords === 0) return -EINVAL;
    if (nrWords > BITS_ITER_NR_WORDS_MAX) return -E2BIG;
    let bytes: Uint8Array;
    try {
      bytes = space.readBytes(src, nrWords * 8);
    } catch {
      return -EFAULT;
    }
    if (nrWords === 1) {
      v.setBigUint64(offset, new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true), true);
    } else {
      const id = nextId++;
      copies.set(id, bytes);
      v.setBigUint64(offset, BigInt(id), true);
    }
    v.setInt32(offset + 8, nrWords * 64, true);
    return 0;
  });

  k.set('bpf_iter_bits_next', (env) => {
    const { region, offset } = state(env);
    const v = region.view;
    const nrBits = v.getInt32(offset + 8, true);
    let bit = v.getInt32(offset + 12, true);
    if (nrBits <= 0 || bit >= nrBits) return NULL;
    let bytes: Uint8Array | undefined;
    if (nrBits === 64) {
      bytes = region.bytes.subarray(offset, offset + 8);
    } else {
      bytes = copies.get(Number(v.getBigUint64(offset, true)));
      if (bytes === undefined) return NULL;
    }
    for (bit = bit + 1; bit < nrBits; bit++) {
      const byte = bytes[bit >> 3]!;
      if (byte === 0) {
        bit |= 7; // skip the rest of an empty byte
        continue;
      }
      if ((byte >> (bit & 7)) & 1) break;
    }
    if (bit > nrBits) bit = nrBits;
    v.setInt32(offset + 12, bit, true);
    return bit >= nrBits ? NULL : env.arg(1) + 12n;
  });

  k.set('bpf_iter_bits_destroy', (env) => {
    const { region, offset } = state(env);
    release(region.view, offset);
  });
}

// BPF_MAP_TYPE_USER_RINGBUF (kernel/bpf/ringbuf.c, v6.1): user space produces
// samples (libbpf's user_ring_buffer__reserve/submit; here produce(), for the
// userspace half), programs consume them with bpf_user_ringbuf_drain (helper
// 209), which hands each sample to a callback as a local dynptr
// (struct bpf_dynptr_kern: data pointer, size, offset) and stops early when
// the callback returns 1. bpf_dynptr_data (203) and bpf_dynptr_read (201)
// read a dynptr. A drained sample's memory is released after its callback,
// so a pointer kept from it faults like freed memory.

import type { NativeEnv } from '../../vm/abi';
import type { MapSpec } from '../../loader/object';
import type { RuntimeCore } from '../core';
import { helper, type HelperTable } from '../natives';
import { EINVAL, E2BIG, ENOSPC } from '../errno';
import { BpfMap, type ValueCell } from './map';

/** BPF_RINGBUF_HDR_SZ: each sample's header in the shared buffer. */
const HDR = 8;
/** BPF_MAX_USER_RINGBUF_SAMPLES: the most samples one drain consumes. */
export const MAX_USER_RINGBUF_SAMPLES = 128 * 1024;
const BPF_RB_NO_WAKEUP = 1n;
const BPF_RB_FORCE_WAKEUP = 2n;
const DYNPTR_SIZE = 16;

export class UserRingbufMap extends BpfMap {
  private readonly samples: Uint8Array[] = [];
  drained = 0;

  constructor(spec: MapSpec, core: RuntimeCore) {
    super(spec, core, []);
  }

  override lookup(): bigint {
    return 0n;
  }

  cells(): ValueCell[] {
    return [];
  }

  /** Bytes the queued samples take in the buffer (8-byte header, rounded to 8). */
  get used(): number {
    let n = 0;
    for (const s of this.samples) n += HDR + ((s.length + 7) & ~7);
    return n;
  }

  /** User space submits a sample: 0, -E2BIG for one that can never fit, -ENOSPC when the buffer is full. */
  produce(sample: Uint8Array): number {
    const need = HDR + ((sample.length + 7) & ~7);
    if (need > this.spec.maxEntries) return -E2BIG;
    if (this.used + need > this.spec.maxEntries) return -ENOSPC;
    this.samples.push(sample.slice());
    return 0;
  }

  /** Queued samples, oldest first (for views and tests). */
  pending(): number {
    return this.samples.length;
  }

  shift(): Uint8Array | undefined {
    return this.samples.shift();
  }
}

export function registerUserRingbuf(h: HelperTable, core: RuntimeCore): void {
  const space = core.space;
  // long bpf_user_ringbuf_drain(struct bpf_map *map, void *callback_fn, void *ctx, u64 flags)
  helper(h, 209, (env: NativeEnv) => {
    const region = space.regionOfHi(Number((env.arg(1) >> 32n) & 0xffff_ffffn));
    const map = region?.kind === 'map' ? region.payload : undefined;
    if (!(map instanceof UserRingbufMap)) return -EINVAL;
    if ((env.arg(4) & ~(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP)) !== 0n) return -EINVAL;
    const dynptr = space.alloc('scratch', `dynptr of ${map.name} sample`, DYNPTR_SIZE);
    let n = 0;
    try {
      while (n < MAX_USER_RINGBUF_SAMPLES) {
        const sample = map.shift();
        if (sample === undefined) break;
        const data = space.alloc('scratch', `${map.name} sample ${map.drained}`, Math.max(sample.length, 1), { readonly: true });
        data.bytes.set(sample);
        dynptr.view.setBigUint64(0, space.pointer(data, 0), true);
        dynptr.view.setUint32(8, sample.length, true);
        dynptr.view.setUint32(12, 0, true);
        n++;
        map.drained++;
        let ret: bigint;
        try {
          ret = env.callback(env.arg(2), [space.pointer(dynptr, 0), env.arg(3)]);
        } finally {
          space.free(data);
        }
        if (ret !== 0n) break;
      }
    } finally {
      space.free(dynptr);
    }
    return n;
  });

  /** The data pointer, size and offset of a dynptr, or undefined for a NULL/invalid one. */
  const readDynptr = (ptr: bigint): { data: bigint; size: number } | undefined => {
    const { region, offset } = space.resolve(ptr, DYNPTR_SIZE, false);
    const data = region.view.getBigUint64(offset, true);
    if (data === 0n) return undefined;
    return { data: data + BigInt(region.view.getUint32(offset + 12, true)), size: region.view.getUint32(offset + 8, true) };
  };
  // void *bpf_dynptr_data(const struct bpf_dynptr *ptr, u32 offset, u32 len): NULL when out of bounds
  helper(h, 203, (env) => {
    const d = readDynptr(env.arg(1));
    const off = env.argU32(2), len = env.argU32(3);
    if (d === undefined || off + len > d.size) return 0n;
    return d.data + BigInt(off);
  });
  // long bpf_dynptr_read(void *dst, u32 len, const struct bpf_dynptr *src, u32 offset, u64 flags)
  helper(h, 201, (env) => {
    const d = readDynptr(env.arg(3));
    const len = env.argU32(2), off = env.argU32(4);
    if (d === undefined || env.arg(5) !== 0n) return -EINVAL;
    if (off + len > d.size) return -E2BIG;
    space.writeBytes(env.arg(1), space.readBytes(d.data + BigInt(off), len));
    return 0;
  });
}

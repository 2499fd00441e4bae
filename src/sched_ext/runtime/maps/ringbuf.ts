// BPF_MAP_TYPE_RINGBUF (kernel/bpf/ringbuf.c). Userspace is the UI: a
// submitted record is emitted as a 'ringbuf' event and consumed at once. A
// reserved record is its own region until submit/discard, after which the
// program's pointer to it faults like any released memory.

import type { Region } from '../../vm/memory';
import type { MapSpec } from '../../loader/object';
import type { RuntimeCore } from '../core';
import { BpfMap, type ValueCell } from './map';

/** Each record carries an 8-byte header in the kernel's buffer (BPF_RINGBUF_HDR_SZ). */
const HDR = 8;

export class RingbufMap extends BpfMap {
  private readonly pending = new Set<Region>();
  private seq = 0;
  submitted = 0;
  dropped = 0;

  constructor(spec: MapSpec, core: RuntimeCore) {
    super(spec, core, []);
  }

  lookup(): bigint {
    return 0n;
  }

  cells(): ValueCell[] {
    return [];
  }

  /** Bytes held by reserved, not yet submitted records. */
  get used(): number {
    let n = 0;
    for (const r of this.pending) n += r.size + HDR;
    return n;
  }

  reserve(size: number): bigint {
    if (size <= 0 || this.used + size + HDR > this.spec.maxEntries) {
      this.dropped++;
      return 0n;
    }
    const region = this.core.space.alloc('ringbuf', `ringbuf ${this.name} record ${++this.seq}`, size, { payload: this });
    this.pending.add(region);
    return this.core.space.pointer(region, 0);
  }

  /** Submit (or discard) the reserved record `ptr` points at. */
  commit(region: Region, discard: boolean): void {
    if (!this.pending.delete(region)) return;
    if (!discard) this.publish(region.bytes.slice(0, region.size));
    this.core.space.free(region);
  }

  isPending(region: Region): boolean {
    return this.pending.has(region);
  }

  output(data: Uint8Array): number {
    if (data.length + HDR > this.spec.maxEntries - this.used) {
      this.dropped++;
      return -11; // -EAGAIN, like bpf_ringbuf_output when the buffer is full
    }
    this.publish(data);
    return 0;
  }

  private publish(bytes: Uint8Array): void {
    this.submitted++;
    this.core.emit({ t: this.core.now(), kind: 'ringbuf', map: this.name, bytes });
  }
}

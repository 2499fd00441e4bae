// BPF_MAP_TYPE_QUEUE (FIFO) and STACK (LIFO) (kernel/bpf/queue_stack_maps.c):
// no keys; push when full is -E2BIG unless BPF_EXIST, which drops the oldest
// element to make room; pop/peek on empty is -ENOENT.

import type { MapSpec } from '../../loader/object';
import type { RuntimeCore } from '../core';
import { E2BIG, EINVAL, ENOENT, UpdateFlag } from '../errno';
import { BpfMap, type ValueCell } from './map';

export class QueueStackMap extends BpfMap {
  private readonly items: Uint8Array[] = [];

  constructor(spec: MapSpec, core: RuntimeCore, private readonly lifo: boolean) {
    super(spec, core, []);
  }

  get length(): number {
    return this.items.length;
  }

  lookup(): bigint {
    return 0n;
  }

  cells(): ValueCell[] {
    return [];
  }

  override push(value: Uint8Array, flags: bigint): number {
    if (flags & ~BigInt(UpdateFlag.EXIST)) return -EINVAL;
    if (this.items.length >= this.spec.maxEntries) {
      if (flags !== BigInt(UpdateFlag.EXIST)) return -E2BIG;
      // Both kinds drop the oldest element (the queue's head, the stack's bottom).
      this.items.shift();
    }
    this.items.push(value.slice(0, this.spec.valueSize));
    return 0;
  }

  override pop(peek: boolean): Uint8Array | number {
    if (this.items.length === 0) return -ENOENT;
    if (this.lifo) return peek ? this.items[this.items.length - 1]! : this.items.pop()!;
    return peek ? this.items[0]! : this.items.shift()!;
  }
}

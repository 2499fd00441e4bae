// BPF_MAP_TYPE_ARRAY_OF_MAPS and HASH_OF_MAPS (kernel/bpf/map_in_map.c). A
// lookup yields the inner map itself (its 'map' region), which the program
// then passes to helpers. Slots are filled at load from `__array(values, …)`
// initialisers; BPF programs cannot update them.

import type { MapSpec } from '../../loader/object';
import type { RuntimeCore } from '../core';
import { BpfMap, keyString, type ValueCell } from './map';

export class MapOfMaps extends BpfMap {
  private readonly slots = new Map<string, BpfMap>();

  constructor(spec: MapSpec, core: RuntimeCore) {
    super(spec, core, []);
  }

  /** Place `inner` at index `slot` (for hash-of-maps, the u32 key `slot`). */
  setSlot(slot: number, inner: BpfMap): void {
    const key = new Uint8Array(this.spec.keySize || 4);
    new DataView(key.buffer).setUint32(0, slot, true);
    this.slots.set(keyString(key), inner);
  }

  inner(key: Uint8Array): BpfMap | undefined {
    return this.slots.get(keyString(key));
  }

  lookup(key: Uint8Array): bigint {
    return this.inner(key)?.pointer ?? 0n;
  }

  cells(): ValueCell[] {
    return [];
  }
}

// The base of every map: a 'map' region (what ld_imm64 of a map yields and
// what helpers receive as `struct bpf_map *`), values as their own regions
// (so a pointer to a deleted element faults as use-after-free), and the
// kernel's rules for values holding special fields: an update copies
// everything but the special fields and then frees what the old value's
// fields held; delete and map free do the same (bpf_obj_free_fields).

import type { Region } from '../../vm/memory';
import { BpfFault } from '../../vm/fault';
import type { NativeEnv } from '../../vm/abi';
import type { MapSpec } from '../../loader/object';
import type { SpecialField } from '../../btf/special_fields';
import type { RuntimeCore } from '../core';
import { EINVAL } from '../errno';
import type { FieldHost } from '../layout';

/** Size of the region standing for the map object itself; programs only pass its address around. */
const MAP_OBJECT_SIZE = 64;

export class ValueCell implements FieldHost {
  constructor(
    readonly map: BpfMap,
    readonly region: Region,
    readonly keyLabel: string,
    /** The key bytes, for callbacks that receive (map, key, value) such as bpf_timer's. */
    readonly key: Uint8Array,
  ) {}

  get fields(): readonly SpecialField[] {
    return this.map.valueFields;
  }

  label(): string {
    return this.map.spec.origin === 'global' ? this.map.name : `map ${this.map.name}[${this.keyLabel}]`;
  }
}

export abstract class BpfMap {
  readonly region: Region;

  constructor(
    readonly spec: MapSpec,
    protected readonly core: RuntimeCore,
    readonly valueFields: readonly SpecialField[],
  ) {
    this.region = core.space.alloc('map', `map ${spec.name}`, MAP_OBJECT_SIZE, { readonly: true, payload: this });
  }

  get name(): string {
    return this.spec.name;
  }

  get pointer(): bigint {
    return this.core.space.pointer(this.region, 0);
  }

  /** bpf_map_lookup_elem: pointer to the value (for `cpu`'s slot of per-CPU maps) or NULL. */
  abstract lookup(key: Uint8Array, cpu: number): bigint;

  /** Every live value, for snapshots and map free. */
  abstract cells(): ValueCell[];

  /** The values a program on `cpu` sees when iterating (per-CPU maps: that CPU's copies). */
  cellsOn(_cpu: number): ValueCell[] {
    return this.cells();
  }

  update(_key: Uint8Array, _value: Uint8Array, _flags: bigint, _env: NativeEnv | undefined): number {
    return -EINVAL;
  }

  delete(_key: Uint8Array, _env: NativeEnv | undefined): number {
    return -EINVAL;
  }

  push(_value: Uint8Array, _flags: bigint): number {
    return -EINVAL;
  }

  /** bpf_map_pop_elem / peek: the value, or a negative errno. */
  pop(_peek: boolean): Uint8Array | number {
    return -EINVAL;
  }

  /** Map free (struct_ops TOBEFREE, unload): every value's kptrs and graph nodes are dropped. */
  free(): void {
    for (const cell of this.cells()) this.core.drainFields(cell, undefined);
  }

  protected newCell(key: Uint8Array, keyLabel: string, initial?: Uint8Array, readonly = false, kind: 'map_value' | 'global' = 'map_value'): ValueCell {
    const size = this.spec.valueSize;
    const name = this.spec.origin === 'global' ? this.spec.name : `map ${this.spec.name}[${keyLabel}]`;
    const region = this.core.space.alloc(kind, name, size, { readonly });
    if (initial !== undefined) copyInitial(region.bytes, initial.subarray(0, size));
    const cell = new ValueCell(this, region, keyLabel, key);
    region.payload = cell;
    return cell;
  }

  /** Like copy_map_value + bpf_obj_free_fields: copy around the special fields, then free what the old ones held. */
  protected overwrite(cell: ValueCell, value: Uint8Array, env: NativeEnv | undefined): void {
    const dst = cell.region.bytes;
    let pos = 0;
    for (const f of this.valueFields) {
      if (f.offset > pos) dst.set(value.subarray(pos, f.offset), pos);
      pos = Math.max(pos, f.offset + f.size);
    }
    if (pos < this.spec.valueSize) dst.set(value.subarray(pos, this.spec.valueSize), pos);
    this.core.drainFields(cell, env === undefined ? undefined : this.core.site(env));
  }

  /** A value leaves the map: free what it held and the value itself. */
  protected discard(cell: ValueCell, env: NativeEnv | undefined): void {
    this.core.drainFields(cell, env === undefined ? undefined : this.core.site(env));
    this.core.space.free(cell.region);
  }

  protected checkValueSize(value: Uint8Array): void {
    if (value.length < this.spec.valueSize) {
      throw new BpfFault('native', `map ${this.name}: value of ${value.length} bytes, expected ${this.spec.valueSize}`);
    }
  }
}

/** Values above this size get only their non-zero pages copied (a big .bss stays untouched, lazily mapped memory). */
const LAZY_COPY_MIN = 1 << 20;
const COPY_PAGE = 4096;

function copyInitial(dst: Uint8Array, src: Uint8Array): void {
  if (src.length < LAZY_COPY_MIN || src.byteOffset % 4 !== 0) {
    dst.set(src);
    return;
  }
  const words = new Uint32Array(src.buffer, src.byteOffset, Math.floor(src.length / 4));
  for (let page = 0; page < src.length; page += COPY_PAGE) {
    const end = Math.min(src.length, page + COPY_PAGE);
    let nonzero = false;
    for (let w = page / 4; w < Math.floor(end / 4); w++) if (words[w] !== 0) { nonzero = true; break; }
    for (let b = Math.floor(end / 4) * 4; !nonzero && b < end; b++) if (src[b] !== 0) nonzero = true;
    if (nonzero) dst.set(src.subarray(page, end), page);
  }
}

/** How keys name values in labels: u32/u64 keys in decimal, others in hex. */
export function keyLabel(key: Uint8Array): string {
  const v = new DataView(key.buffer, key.byteOffset, key.byteLength);
  if (key.length === 4) return String(v.getUint32(0, true));
  if (key.length === 8) return v.getBigUint64(0, true).toString();
  return '0x' + [...key].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function u32Key(i: number): Uint8Array {
  const k = new Uint8Array(4);
  new DataView(k.buffer).setUint32(0, i, true);
  return k;
}

/** Hash-map identity of a key. */
export function keyString(key: Uint8Array): string {
  let s = '';
  for (const b of key) s += String.fromCharCode(b);
  return s;
}

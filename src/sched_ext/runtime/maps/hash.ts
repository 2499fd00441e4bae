// BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH
// (kernel/bpf/hashtab.c). An update of an existing key installs a new
// element and frees the old one with its fields; NOEXIST on an existing key
// is -EEXIST, EXIST on a missing one -ENOENT, a full map -E2BIG — except LRU
// maps, which evict the least recently used element instead.

import type { NativeEnv } from '../../vm/abi';
import type { MapSpec } from '../../loader/object';
import type { SpecialField } from '../../btf/special_fields';
import type { RuntimeCore } from '../core';
import { E2BIG, EEXIST, EINVAL, ENOENT, UpdateFlag } from '../errno';
import { BpfMap, keyLabel, keyString, type ValueCell } from './map';

interface Element {
  key: Uint8Array;
  /** One cell, or one per CPU. */
  cells: ValueCell[];
}

export class HashMap extends BpfMap {
  /** Insertion order doubles as LRU order (oldest first). */
  private readonly elems = new Map<string, Element>();

  constructor(spec: MapSpec, core: RuntimeCore, fields: readonly SpecialField[], private readonly opts: { percpu: boolean; lru: boolean }) {
    super(spec, core, fields);
  }

  get size(): number {
    return this.elems.size;
  }

  keys(): Uint8Array[] {
    return [...this.elems.values()].map((e) => e.key);
  }

  lookup(key: Uint8Array, cpu: number): bigint {
    const k = keyString(key);
    const e = this.elems.get(k);
    if (e === undefined) return 0n;
    if (this.opts.lru) {
      this.elems.delete(k);
      this.elems.set(k, e);
    }
    const cell = e.cells[this.opts.percpu ? cpu : 0]!;
    return this.core.space.pointer(cell.region, 0);
  }

  cells(): ValueCell[] {
    return [...this.elems.values()].flatMap((e) => e.cells);
  }

  override cellsOn(cpu: number): ValueCell[] {
    return [...this.elems.values()].map((e) => e.cells[this.opts.percpu ? cpu : 0]!);
  }

  override update(key: Uint8Array, value: Uint8Array, flags: bigint, env: NativeEnv | undefined): number {
    if (flags > BigInt(UpdateFlag.EXIST | UpdateFlag.LOCK)) return -EINVAL;
    const mode = Number(flags & 3n);
    if (mode === 3) return -EINVAL;
    this.checkValueSize(value);
    const k = keyString(key);
    const old = this.elems.get(k);
    if (old !== undefined && mode === UpdateFlag.NOEXIST) return -EEXIST;
    if (old === undefined && mode === UpdateFlag.EXIST) return -ENOENT;
    if (old === undefined && this.elems.size >= this.spec.maxEntries) {
      if (!this.opts.lru) return -E2BIG;
      const [victimKey, victim] = this.elems.entries().next().value as [string, Element];
      this.elems.delete(victimKey);
      for (const c of victim.cells) this.discard(c, env);
    }
    const label = keyLabel(key);
    const ncells = this.opts.percpu ? this.core.host.nrCpus : 1;
    const cpu = this.core.host.currentCpu();
    const cells: ValueCell[] = [];
    for (let c = 0; c < ncells; c++) {
      const cell = this.newCell(key.slice(), this.opts.percpu ? `${label}@cpu${c}` : label);
      // A per-CPU update from a program writes this CPU's copy; the others start zeroed.
      if (!this.opts.percpu || c === cpu) this.copyAround(cell, value);
      cells.push(cell);
    }
    this.elems.delete(k);
    this.elems.set(k, { key: key.slice(), cells });
    if (old !== undefined) for (const c of old.cells) this.discard(c, env);
    return 0;
  }

  override delete(key: Uint8Array, env: NativeEnv | undefined): number {
    const k = keyString(key);
    const e = this.elems.get(k);
    if (e === undefined) return -ENOENT;
    this.elems.delete(k);
    for (const c of e.cells) this.discard(c, env);
    return 0;
  }

  /** A fresh element's special fields start zeroed (check_and_init_map_value); copy the rest. */
  private copyAround(cell: ValueCell, value: Uint8Array): void {
    const dst = cell.region.bytes;
    let pos = 0;
    for (const f of this.valueFields) {
      if (f.offset > pos) dst.set(value.subarray(pos, f.offset), pos);
      pos = Math.max(pos, f.offset + f.size);
    }
    if (pos < this.spec.valueSize) dst.set(value.subarray(pos, this.spec.valueSize), pos);
  }
}

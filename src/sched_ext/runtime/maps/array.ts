// BPF_MAP_TYPE_ARRAY and PERCPU_ARRAY (kernel/bpf/arraymap.c), and the
// one-entry arrays libbpf makes for .data/.rodata/.bss: every element exists
// from creation, delete is -EINVAL, NOEXIST is -EEXIST, an index past
// max_entries is -E2BIG on update and NULL on lookup.

import type { NativeEnv } from '../../vm/abi';
import type { MapSpec } from '../../loader/object';
import type { SpecialField } from '../../btf/special_fields';
import type { RuntimeCore } from '../core';
import { E2BIG, EEXIST, EINVAL, UpdateFlag } from '../errno';
import { BpfMap, u32Key, type ValueCell } from './map';

export class ArrayMap extends BpfMap {
  /** [cpu][index]; one row unless per-CPU. */
  private readonly rows: ValueCell[][] = [];

  constructor(spec: MapSpec, core: RuntimeCore, fields: readonly SpecialField[], opts: { percpu: boolean; readonly: boolean }) {
    super(spec, core, fields);
    const nrows = opts.percpu ? core.host.nrCpus : 1;
    const kind = spec.origin === 'global' ? 'global' : 'map_value';
    for (let c = 0; c < nrows; c++) {
      const row: ValueCell[] = [];
      for (let i = 0; i < spec.maxEntries; i++) {
        const label = opts.percpu ? `${i}@cpu${c}` : String(i);
        row.push(this.newCell(u32Key(i), label, spec.initialValue, opts.readonly, kind));
      }
      this.rows.push(row);
    }
  }

  get percpu(): boolean {
    return this.rows.length > 1;
  }

  cell(index: number, cpu: number): ValueCell | undefined {
    return this.rows[this.percpu ? cpu : 0]?.[index];
  }

  lookup(key: Uint8Array, cpu: number): bigint {
    const cell = this.cell(index(key), cpu);
    return cell === undefined ? 0n : this.core.space.pointer(cell.region, 0);
  }

  cells(): ValueCell[] {
    return this.rows.flat();
  }

  override cellsOn(cpu: number): ValueCell[] {
    return [...(this.rows[this.percpu ? cpu : 0] ?? [])];
  }

  override update(key: Uint8Array, value: Uint8Array, flags: bigint, env: NativeEnv | undefined): number {
    const f = Number(flags & 0xffffn);
    if (flags > BigInt(UpdateFlag.EXIST | UpdateFlag.LOCK)) return -EINVAL;
    const i = index(key);
    if (i >= this.spec.maxEntries) return -E2BIG;
    if ((f & 3) === UpdateFlag.NOEXIST) return -EEXIST;
    this.checkValueSize(value);
    // From a BPF program a per-CPU update writes the current CPU's copy.
    this.overwrite(this.cell(i, this.core.host.currentCpu())!, value, env);
    return 0;
  }

  override delete(): number {
    return -EINVAL;
  }
}

/** The u32 little-endian index (no DataView: this is on every lookup). */
function index(key: Uint8Array): number {
  return (key[0]! | (key[1]! << 8) | (key[2]! << 16) | (key[3]! << 24)) >>> 0;
}

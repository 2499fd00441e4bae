// BPF_MAP_TYPE_TASK_STORAGE and CGRP_STORAGE (kernel/bpf/bpf_task_storage.c,
// bpf_cgrp_storage.c): one value per task / cgroup, created on demand with
// BPF_LOCAL_STORAGE_GET_F_CREATE (from the passed value, or zeroed).

import type { NativeEnv } from '../../vm/abi';
import type { MapSpec } from '../../loader/object';
import type { SpecialField } from '../../btf/special_fields';
import type { RuntimeCore } from '../core';
import { ENOENT } from '../errno';
import { BpfMap, type ValueCell } from './map';

export const BPF_LOCAL_STORAGE_GET_F_CREATE = 1n;

export class LocalStorageMap extends BpfMap {
  private readonly values = new Map<bigint, ValueCell>();

  constructor(
    spec: MapSpec,
    core: RuntimeCore,
    fields: readonly SpecialField[],
    /** 'task' keys by pid (host.taskKey), 'cgroup' by cgroup id (host.cgroupKey); the pointer otherwise. */
    readonly owner: 'task' | 'cgroup',
  ) {
    super(spec, core, fields);
  }

  private id(ptr: bigint): number | undefined {
    return this.owner === 'task' ? this.core.host.taskKey?.(ptr) : this.core.host.cgroupKey?.(ptr);
  }

  private key(ptr: bigint): { key: bigint; label: string } {
    return this.keyOf(ptr, this.id(ptr));
  }

  private keyOf(ptr: bigint, id: number | undefined): { key: bigint; label: string } {
    if (id === undefined) return { key: ptr, label: `0x${ptr.toString(16)}` };
    return { key: BigInt(id), label: this.owner === 'task' ? `pid ${id}` : `cgroup ${id}` };
  }

  /** bpf_task_storage_get / bpf_cgrp_storage_get. */
  get(ownerPtr: bigint, init: Uint8Array | undefined, flags: bigint): bigint {
    // The label is only needed to create a cell: the lookup builds no strings.
    const id = this.id(ownerPtr);
    let cell = this.values.get(id === undefined ? ownerPtr : BigInt(id));
    if (cell === undefined) {
      if ((flags & BPF_LOCAL_STORAGE_GET_F_CREATE) === 0n) return 0n;
      const { key, label } = this.keyOf(ownerPtr, id);
      const kb = new Uint8Array(8);
      new DataView(kb.buffer).setBigUint64(0, key, true);
      cell = this.newCell(kb, label, init);
      for (const f of this.valueFields) cell.region.bytes.fill(0, f.offset, f.offset + f.size);
      this.values.set(key, cell);
    }
    return this.core.space.pointer(cell.region, 0);
  }

  /** bpf_task_storage_delete / bpf_cgrp_storage_delete; also what the simulator calls when a task exits. */
  remove(ownerPtr: bigint, env: NativeEnv | undefined): number {
    const { key } = this.key(ownerPtr);
    const cell = this.values.get(key);
    if (cell === undefined) return -ENOENT;
    this.values.delete(key);
    this.discard(cell, env);
    return 0;
  }

  lookup(): bigint {
    return 0n;
  }

  cells(): ValueCell[] {
    return [...this.values.values()];
  }
}

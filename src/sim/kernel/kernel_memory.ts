// Kernel objects in the BPF address space, laid out from the kernel BTF:
// task_struct (with cpus_ptr pointing at its own cpus_mask, as the kernel
// does), cpumasks, cgroups, the argument structs ops receive and
// scx_exit_info. Every region is kind 'kernel' and its payload names the
// simulator object it mirrors, so kfuncs can map a pointer back.

import { AddressSpace, type Region } from '../../sched_ext/vm/memory';
import type { KernelLayout } from './layout';
import { staticPrioFromNice } from './consts';

export interface TaskInit {
  pid: number;
  comm: string;
  nice: number;
  weight: number;
  tgid?: number;
}

export class KernelMemory {
  private readonly enc = new TextEncoder();

  constructor(
    readonly space: AddressSpace,
    readonly layout: KernelLayout,
  ) {}

  allocTask(init: TaskInit, payload: unknown): Region {
    const t = this.layout.task;
    const r = this.space.alloc('kernel', `task_struct pid ${init.pid} (${init.comm})`, t.size, { payload });
    const v = r.view;
    v.setInt32(t.pid, init.pid, true);
    v.setInt32(t.tgid, init.tgid ?? init.pid, true);
    const comm = this.enc.encode(init.comm).subarray(0, t.commLen - 1);
    r.bytes.set(comm, t.comm);
    const prio = staticPrioFromNice(init.nice);
    v.setInt32(t.prio, prio, true);
    v.setInt32(t.staticPrio, prio, true);
    v.setInt32(t.normalPrio, prio, true);
    v.setUint32(t.policy, 7, true); // SCHED_EXT
    v.setUint32(t.scxWeight, init.weight, true);
    v.setBigUint64(t.scxDdspDsqId, 1n << 63n, true); // SCX_DSQ_INVALID
    v.setInt32(t.scxStickyCpu, -1, true);
    v.setInt32(t.scxSelectedCpu, -1, true);
    v.setBigUint64(t.cpusPtr, this.space.pointer(r, t.cpusMask), true);
    return r;
  }

  /**
   * task_struct's family pointers, never NULL in the kernel: real_parent and
   * parent (the simulator models no fork tree, so every task is a child of
   * CPU 0's idle task, pid 0, as init and kthreadd are), and group_leader
   * (each task leads its own thread group).
   */
  writeTaskFamily(r: Region, parent: bigint): void {
    const t = this.layout.task;
    r.view.setBigUint64(t.realParent, parent, true);
    r.view.setBigUint64(t.parent, parent, true);
    r.view.setBigUint64(t.groupLeader, this.space.pointer(r), true);
  }

  /**
   * A cgroup's struct css_set with dfl_cgrp set (p->cgroups->dfl_cgrp is how
   * BPF code finds a task's cgroup v2 cgroup); 0n when the kernel BTF has no
   * css_set.
   */
  allocCssSet(path: string, cgroup: bigint): bigint {
    const cs = this.layout.cssSet;
    if (cs === undefined) return 0n;
    const r = this.space.alloc('kernel', `css_set ${path}`, cs.size);
    r.view.setBigUint64(cs.dflCgrp, cgroup, true);
    return this.space.pointer(r);
  }

  /** task_struct.cgroups: the css_set of the task's cgroup. */
  writeTaskCgroup(r: Region, cssSet: bigint): void {
    r.view.setBigUint64(this.layout.task.cgroups, cssSet, true);
  }

  /** Write the affinity mask into task_struct.cpus_mask and nr_cpus_allowed. */
  writeTaskAffinity(r: Region, allowed: Uint8Array): void {
    const t = this.layout.task;
    writeMaskBits(r.bytes, t.cpusMask, this.layout.cpumaskSize, allowed);
    let n = 0;
    for (const a of allowed) n += a;
    r.view.setInt32(t.nrCpusAllowed, n, true);
  }

  allocCpumask(name: string, payload?: unknown): Region {
    return this.space.alloc('kernel', name, this.layout.cpumaskSize, { payload });
  }

  /** A NUL-terminated string the kernel hands out (exit reason, message, cgroup names). */
  allocString(name: string, text: string, size = text.length + 1): Region {
    const r = this.space.alloc('kernel', name, Math.max(size, 1), { readonly: true });
    r.bytes.set(this.enc.encode(text).subarray(0, r.size - 1));
    return r;
  }

  alloc(name: string, size: number, payload?: unknown): Region {
    return this.space.alloc('kernel', name, size, { payload });
  }

  pointer(r: Region, offset = 0): bigint {
    return this.space.pointer(r, offset);
  }
}

export function writeMaskBits(bytes: Uint8Array, offset: number, size: number, bits: Uint8Array): void {
  bytes.fill(0, offset, offset + size);
  for (let cpu = 0; cpu < bits.length && cpu < size * 8; cpu++) {
    if (bits[cpu]) bytes[offset + (cpu >> 3)]! |= 1 << (cpu & 7);
  }
}

export function setMaskBit(bytes: Uint8Array, offset: number, cpu: number, on: boolean): void {
  const i = offset + (cpu >> 3);
  if (on) bytes[i]! |= 1 << (cpu & 7);
  else bytes[i]! &= ~(1 << (cpu & 7));
}

export function testMaskBit(bytes: Uint8Array, offset: number, cpu: number): boolean {
  return (bytes[offset + (cpu >> 3)]! & (1 << (cpu & 7))) !== 0;
}

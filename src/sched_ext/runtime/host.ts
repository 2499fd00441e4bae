// What the runtime needs from whoever drives it (the simulator, or a test):
// virtual time, the current CPU, a seeded random source, and an event sink.
// Everything the runtime changes is reported through emit().

import type { SimEvent } from '../../model/events';

export interface RuntimeHost {
  /** Virtual nanoseconds (bpf_ktime_get_ns, timers). */
  now(): bigint;
  /** bpf_get_smp_processor_id, and which slot of a per-CPU map a lookup sees. */
  currentCpu(): number;
  readonly nrCpus: number;
  /** Seeded, for bpf_get_prandom_u32. */
  random32(): number;
  /** Ownership, ringbuf, printk and diagnostic events. */
  emit(ev: SimEvent): void;
  /**
   * Whether anything consumes emit() right now. When this returns false the
   * runtime does not build ownership events at all (absent: always build).
   */
  listening?(): boolean;
  /** pid for task storage keys. */
  taskKey?(taskPtr: bigint): number | undefined;
  /** cgroup id for cgroup storage keys. */
  cgroupKey?(cgrpPtr: bigint): number | undefined;
  /** bpf_task_from_pid: the task_struct pointer of a live pid, or undefined. */
  taskByPid?(pid: number): bigint | undefined;
  /** bpf_cgroup_from_id: the struct cgroup pointer of a cgroup id, or undefined. */
  cgroupById?(id: bigint): bigint | undefined;
  /** bpf_cgroup_ancestor: the ancestor of `cgrp` at `level` (0 = root), or undefined. */
  cgroupAncestor?(cgrp: bigint, level: number): bigint | undefined;
  /** A typed kernel symbol's address (for a per-CPU one, `cpu`'s copy), or undefined when the kernel has none. */
  kernelSymbol?(name: string, cpu: number): bigint | undefined;
  /** The task_struct pointer of the task current on this CPU (bpf_get_current_task_btf), or undefined. */
  currentTask?(): bigint | undefined;
  /** Run `fire` at virtual time `atNs` on `cpu`; returns a cancel function. */
  scheduleTimer?(atNs: bigint, cpu: number, fire: () => void): () => void;
}

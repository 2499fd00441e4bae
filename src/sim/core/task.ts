// A simulated task: the kernel's view (sched_ext_entity state the core
// tracks in TypeScript) plus its task_struct in VM memory, where the BPF
// scheduler reads pid/weight/cpus_ptr and writes slice/dsq_vtime. Slice and
// vtime live only in that memory so a program's store is the truth.

import type { Region } from '../../sched_ext/vm/memory';
import type { TaskState } from '../../model/events';
import type { TaskLayout } from '../kernel/layout';
import type { DispatchQueue } from './dsq';
import { DSQ_INVALID, SLICE_INF } from '../kernel/consts';
import type { TaskBehaviour } from '../workload/behaviour';
import type { SimCgroup } from './cgroup';

/** scx_ops_state (ext_internal.h): who owns a runnable task that is not on a DSQ. */
export const OpsState = { NONE: 0, QUEUEING: 1, QUEUED: 2, DISPATCHING: 3 } as const;

/** scx_task_state: a task's place in the init_task/enable/disable/exit_task lifecycle. */
export type ScxTaskState = 'none' | 'init' | 'ready' | 'enabled';

export class SimTask {
  state: TaskState = 'new';
  /** task_cpu(p). */
  cpu = 0;
  /** SCX_TASK_QUEUED: on the runqueue from the core's point of view (runnable or running). */
  queued = false;
  opsState: number = OpsState.NONE;
  /** Queue sequence number of the last ops.enqueue (the QSEQ bits of ops_state). */
  qseq = 0;
  dsq: DispatchQueue | null = null;
  dsqSeq = 0;
  ddspDsqId: bigint = DSQ_INVALID;
  ddspEnqFlags = 0n;
  /** The scx_bpf_dsq_insert call that set the direct-dispatch verdict (for error lines). */
  ddspSite: { program: string; insn: number } | undefined;
  scxState: ScxTaskState = 'none';
  /** Watchdog: when the task last became runnable without running (p->scx.runnable_at). */
  runnableAt = -1;
  /** PF_EXITING. */
  exiting = false;
  /** Not on the BPF scheduler: SCHED_NORMAL under SCX_OPS_SWITCH_PARTIAL (core/fair.ts). */
  fair = false;
  /** The fair class's virtual runtime (also used for every task after an ejection). */
  fairVruntime = 0;
  /** bpf_task_acquire() references held by BPF programs. */
  bpfRefs = 0;
  cgroup: SimCgroup | null = null;
  behaviour: TaskBehaviour | null = null;

  // accounting for the run summary
  runtimeNs = 0;
  waitNs = 0;
  runs = 0;
  /** When the task last became runnable (for wait time and latency). */
  readySince = -1;

  allowed: Uint8Array;
  nrAllowed: number;

  constructor(
    readonly pid: number,
    readonly comm: string,
    public weight: number,
    public nice: number,
    readonly region: Region,
    readonly ptr: bigint,
    private readonly lay: TaskLayout,
    nrCpus: number,
  ) {
    this.allowed = new Uint8Array(nrCpus);
    this.nrAllowed = 0;
  }

  get slice(): bigint {
    return this.region.view.getBigUint64(this.lay.scxSlice, true);
  }

  set slice(v: bigint) {
    this.region.view.setBigUint64(this.lay.scxSlice, BigInt.asUintN(64, v), true);
  }

  get hasSliceInf(): boolean {
    return this.slice === SLICE_INF;
  }

  // Fast paths on the slice's two u32 halves: the scheduler's hot loop reads
  // and charges slices constantly, and BigInt values would allocate each time.

  /** p->scx.slice == 0. */
  sliceEmpty(): boolean {
    const v = this.region.view;
    const o = this.lay.scxSlice;
    return v.getUint32(o, true) === 0 && v.getUint32(o + 4, true) === 0;
  }

  /** The slice in ns as a number; Infinity for SCX_SLICE_INF and for values beyond 2^53. */
  sliceNs(): number {
    const v = this.region.view;
    const o = this.lay.scxSlice;
    const hi = v.getUint32(o + 4, true);
    if (hi >= 0x20_0000) return Infinity;
    return hi * 0x1_0000_0000 + v.getUint32(o, true);
  }

  /** update_curr_scx(): slice -= min(slice, dt), leaving SCX_SLICE_INF alone. */
  chargeSlice(dt: number): void {
    const v = this.region.view;
    const o = this.lay.scxSlice;
    const hi = v.getUint32(o + 4, true);
    const lo = v.getUint32(o, true);
    if (hi === 0xffff_ffff && lo === 0xffff_ffff) return;
    if (hi >= 0x20_0000) {
      this.slice = this.slice - BigInt(dt);
      return;
    }
    const left = hi * 0x1_0000_0000 + lo - dt;
    if (left <= 0) {
      v.setUint32(o, 0, true);
      v.setUint32(o + 4, 0, true);
    } else {
      v.setUint32(o, left % 0x1_0000_0000, true);
      v.setUint32(o + 4, Math.floor(left / 0x1_0000_0000), true);
    }
  }

  get dsqVtime(): bigint {
    return this.region.view.getBigUint64(this.lay.scxDsqVtime, true);
  }

  set dsqVtime(v: bigint) {
    this.region.view.setBigUint64(this.lay.scxDsqVtime, BigInt.asUintN(64, v), true);
  }

  isAllowed(cpu: number): boolean {
    return this.allowed[cpu] === 1;
  }

  firstAllowed(): number {
    const i = this.allowed.indexOf(1);
    return i < 0 ? 0 : i;
  }

  /** Mirror the core's view into task_struct fields programs may read. */
  syncCpu(): void {
    const v = this.region.view;
    v.setUint32(this.lay.cpu, this.cpu, true);
    v.setUint32(this.lay.tiCpu, this.cpu, true);
    v.setInt32(this.lay.wakeCpu, this.cpu, true);
  }

  syncQueued(): void {
    const v = this.region.view;
    const flags = v.getUint32(this.lay.scxFlags, true);
    v.setUint32(this.lay.scxFlags, this.queued ? flags | 1 : flags & ~1, true);
    v.setInt32(this.lay.onRq, this.queued ? 1 : 0, true);
  }

  syncOnCpu(on: boolean): void {
    this.region.view.setInt32(this.lay.onCpu, on ? 1 : 0, true);
    // TASK_RUNNING is 0; a sleeping task is TASK_INTERRUPTIBLE (1), a dead one TASK_DEAD (0x80)
    this.region.view.setUint32(this.lay.state, this.state === 'sleeping' ? 1 : this.state === 'exited' ? 0x80 : 0, true);
  }

  syncWeight(): void {
    this.region.view.setUint32(this.lay.scxWeight, this.weight, true);
  }
}

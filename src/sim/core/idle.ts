// Built-in idle tracking (kernel/sched/ext_idle.c): a mask of idle CPUs and
// of fully idle SMT cores, test-and-clear claiming, and the default CPU
// selection scx_select_cpu_dfl() performs: a fully idle core near prev_cpu,
// then prev_cpu itself, then any idle CPU in prev_cpu's LLC, NUMA node, and
// finally anywhere allowed.

import type { Region } from '../../sched_ext/vm/memory';
import { setMaskBit } from '../kernel/kernel_memory';
import type { MachineSpec } from '../../model/events';

export const EBUSY = -16;
/** Search order of scx_select_cpu_dfl(): prev's LLC, prev's NUMA node, anywhere. */
const SCOPES = [1, 2, 0] as const;

export class IdleTracker {
  readonly idle: Uint8Array;
  private readonly smtOf: Int32Array;
  private readonly llcOf: Int32Array;
  private readonly numaOf: Int32Array;
  private readonly smtSize: number;
  /** cpumask_any_distribute()'s rotating start point, kept per tracker for determinism. */
  private cursor = 0;

  constructor(
    readonly nrCpus: number,
    machine: MachineSpec,
    /** Live cpumasks handed out by scx_bpf_get_idle_cpumask/smtmask. */
    readonly cpuMask: Region,
    readonly smtMask: Region,
  ) {
    this.idle = new Uint8Array(nrCpus);
    this.smtSize = Math.max(1, machine.smt ?? 1);
    const llc = Math.max(1, machine.llc ?? nrCpus);
    const numa = Math.max(1, machine.numa ?? nrCpus);
    this.smtOf = Int32Array.from({ length: nrCpus }, (_, c) => Math.floor(c / this.smtSize));
    this.llcOf = Int32Array.from({ length: nrCpus }, (_, c) => Math.floor(c / llc));
    this.numaOf = Int32Array.from({ length: nrCpus }, (_, c) => Math.floor(c / numa));
  }

  get hasSmt(): boolean {
    return this.smtSize > 1;
  }

  siblings(cpu: number): number[] {
    const core = this.smtOf[cpu]!;
    const out: number[] = [];
    for (let c = core * this.smtSize; c < Math.min(this.nrCpus, (core + 1) * this.smtSize); c++) out.push(c);
    return out;
  }

  llcOfCpu(cpu: number): number {
    return this.llcOf[cpu]!;
  }

  numaOfCpu(cpu: number): number {
    return this.numaOf[cpu]!;
  }

  set(cpu: number, idle: boolean): void {
    this.idle[cpu] = idle ? 1 : 0;
    setMaskBit(this.cpuMask.bytes, 0, cpu, idle);
    if (this.smtSize === 1) {
      setMaskBit(this.smtMask.bytes, 0, cpu, idle);
      return;
    }
    // the SMT mask holds a core's CPUs only while every sibling is idle
    const sibs = this.siblings(cpu);
    const whole = idle && sibs.every((c) => this.idle[c] === 1);
    for (const c of sibs) setMaskBit(this.smtMask.bytes, 0, c, whole);
  }

  isIdle(cpu: number): boolean {
    return this.idle[cpu] === 1;
  }

  coreIdle(cpu: number): boolean {
    if (this.smtSize === 1) return this.idle[cpu] === 1;
    return this.siblings(cpu).every((c) => this.idle[c] === 1);
  }

  /** scx_bpf_test_and_clear_cpu_idle(): claim an idle CPU. */
  testAndClear(cpu: number): boolean {
    if (this.idle[cpu] !== 1) return false;
    this.set(cpu, false);
    return true;
  }

  /**
   * scx_pick_idle_cpu(): claim an idle CPU from `allowed` (optionally only
   * whole idle cores, optionally within prev's LLC or NUMA node), or EBUSY.
   */
  pick(allowed: Uint8Array, coreOnly: boolean, scope: 0 | 1 | 2 = 0, near = -1): number {
    const n = this.nrCpus;
    const llc = near >= 0 ? this.llcOf[near]! : -1;
    const node = near >= 0 ? this.numaOf[near]! : -1;
    for (let k = 0; k < n; k++) {
      let cpu = this.cursor + k;
      if (cpu >= n) cpu -= n;
      if (allowed[cpu] !== 1 || this.idle[cpu] !== 1) continue;
      if (scope === 1 && this.llcOf[cpu] !== llc) continue;
      if (scope === 2 && this.numaOf[cpu] !== node) continue;
      if (coreOnly && !this.coreIdle(cpu)) continue;
      this.cursor = cpu + 1 >= n ? 0 : cpu + 1;
      this.set(cpu, false);
      return cpu;
    }
    return EBUSY;
  }

  /** scx_select_cpu_dfl(): returns the CPU and whether it was idle (and is now claimed). */
  selectDfl(allowed: Uint8Array, prevCpu: number): { cpu: number; idle: boolean } {
    const prevOk = prevCpu >= 0 && prevCpu < this.nrCpus && allowed[prevCpu] === 1;
    const near = prevOk ? prevCpu : -1;
    if (this.hasSmt) {
      if (prevOk && this.coreIdle(prevCpu) && this.testAndClear(prevCpu)) return { cpu: prevCpu, idle: true };
      for (const scope of SCOPES) {
        const c = this.pick(allowed, true, prevOk ? scope : 0, near);
        if (c >= 0) return { cpu: c, idle: true };
      }
    }
    if (prevOk && this.testAndClear(prevCpu)) return { cpu: prevCpu, idle: true };
    for (const scope of SCOPES) {
      const c = this.pick(allowed, false, prevOk ? scope : 0, near);
      if (c >= 0) return { cpu: c, idle: true };
    }
    return { cpu: prevOk ? prevCpu : allowed.indexOf(1), idle: false };
  }
}

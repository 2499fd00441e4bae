// The sched_ext core of the simulated kernel (kernel/sched/ext.c): it owns
// CPUs, tasks and DSQs, calls the scheduler's ops in the kernel's order, and
// turns errors into the kernel's error exit. Time and task behaviour belong
// to the machine (machine.ts); dispatch, scheduling and ejection live in
// dispatch.ts, schedule.ts and eject.ts, which act on this state.

import { BpfFault } from '../../sched_ext/vm/fault';
import type { Region } from '../../sched_ext/vm/memory';
import type { SimEvent, ExitInfo, Diagnostic, MachineSpec } from '../../model/events';
import * as K_consts from '../kernel/consts';
import type { KernelMemory } from '../kernel/kernel_memory';
import { SimCpu } from './cpu';
import { DispatchQueue } from './dsq';
import { IdleTracker } from './idle';
import { OP_NAMES, type OpName, type SchedOps } from './sched_ops';
import { OpsState, type SimTask } from './task';
import type { SimCgroup } from './cgroup';
import { directDispatch, dispatchEnqueue } from './dispatch';
import { enqueueFair, isFair } from './fair';
import { traceWakeup } from './tracepoints';
import type { KickHost } from './kick';
import { EV, EventStats } from './event_stats';

// locals, not live bindings: imported bindings cost a getter call per use under tsx
const { DSQ_GLOBAL, DSQ_INVALID, DSP_DFL_MAX_BATCH, EnqFlag, ExitKind, KfMask, OpsFlag, SLICE_DFL, WATCHDOG_MAX_TIMEOUT_MS, WakeFlag, exitKindName } = K_consts;

export interface CoreHost extends KickHost {
  now(): number;
  /** resched_curr(): run the scheduler on `cpu` at the current time, after the current step. */
  resched(cpu: number): void;
  /** Whether anyone listens to events (formatting op arguments costs time). */
  listening(): boolean;
  emit(ev: SimEvent): void;
}

/** One op invocation's kfunc context (ext.c scx_kf_allowed and the direct-dispatch slot). */
export interface OpContext {
  /** The op running, or 'tp_btf' while an attached tracepoint program runs (core/tracepoints.ts). */
  op: OpName | 'tp_btf';
  cpu: number;
  mask: number;
  /** select_cpu/enqueue: the task that may be direct-dispatched; 'done' once it was. */
  ddspTask: SimTask | 'done' | null;
}

/** Where a kfunc was called: resolved to a source line only when an error needs it. */
export interface KfuncSite {
  program: string;
  insn: number;
}

export interface DispatchBufEntry {
  site?: KfuncSite;
  p: SimTask;
  qseq: number;
  dsqId: bigint;
  enqFlags: bigint;
}

/** How many recent op calls the core remembers for a livelock report (a power of two). */
const RECENT_OPS = 8;

/** Thrown inside kfuncs to stop nothing: the kernel records the error and the program runs on. */
export class ScxError extends Error {}

export class ScxCore {
  readonly cpus: SimCpu[];
  readonly tasks = new Map<number, SimTask>();
  readonly userDsqs = new Map<bigint, DispatchQueue>();
  readonly globalDsq = new DispatchQueue(DSQ_GLOBAL, 'global', 'GLOBAL');
  /** After an ejection: the built-in fair policy's queue, ordered by weighted runtime. */
  readonly fallbackDsq = new DispatchQueue(DSQ_GLOBAL, 'fallback', 'FALLBACK');
  readonly idle: IdleTracker;
  readonly builtinIdle: boolean;
  /** SCX_OPS_ENQ_EXITING / SCX_OPS_ENQ_LAST, read once (ops.flags is fixed at load). */
  readonly enqExiting: boolean;
  readonly enqLast: boolean;
  readonly maxBatch: number;
  readonly timeoutNs: number;
  readonly ctxStack: OpContext[] = [];
  dspBuf: DispatchBufEntry[] = [];
  /** The fair class's queue clock (min_vruntime). */
  fairMinVruntime = 0;
  dspCpu = -1;
  dspNrTasks = 0;
  opsQseq = 1;
  /** Set by the first error; the scheduler is ejected at the end of the current step. */
  exitPending: ExitInfo | undefined;
  exitCode = 0n;
  /** The scheduler was ejected (or unregistered): tasks run on the fallback policy. */
  disabled = false;
  enabled = false;
  exitInfo: ExitInfo | undefined;
  readonly diagnostics: Diagnostic[] = [];
  readonly dumpLines: string[] = [];
  /** The kfunc being served right now (set by the kfunc registrar). */
  kfuncSite: KfuncSite | undefined;
  readonly kfuncSiteSlot: KfuncSite = { program: '', insn: 0 };
  opCalls = 0;
  insns = 0;
  /** The last RECENT_OPS op calls (a ring indexed by call number), named when a livelock is reported. */
  private readonly recentOps: (OpName | undefined)[] = new Array<OpName | undefined>(RECENT_OPS);
  private readonly recentOpCpu = new Int32Array(RECENT_OPS);
  private readonly recentOpPid = new Int32Array(RECENT_OPS);
  readonly cgroups: SimCgroup[] = [];
  /** struct scx_event_stats: what scx_bpf_events() reads (event_stats.ts). */
  readonly events = new EventStats();
  /** p->scx.selected_cpu of the last select_task_rq_scx() that asked the scheduler or the built-in pick. */
  private selectedCpu = -1;
  /** Which ops the scheduler implements, by name (a plain lookup is cheaper than a Set on the per-op path). */
  private readonly implemented: Readonly<Partial<Record<OpName, true>>>;
  /** OpContext objects reused per nesting depth: callOp does not allocate one per call. */
  private readonly ctxPool: OpContext[] = [];
  /** Tasks that exited, kept for the run summary. */
  readonly exitedTasks: SimTask[] = [];
  private readonly scratchRegions = new Map<string, Region>();

  constructor(
    readonly ops: SchedOps,
    readonly mem: KernelMemory,
    readonly machine: MachineSpec,
    readonly host: CoreHost,
  ) {
    const n = machine.cpus;
    this.cpus = Array.from({ length: n }, (_, i) => new SimCpu(i));
    for (const c of this.cpus) c.kickMask = new Uint8Array(n);
    this.idle = new IdleTracker(n, machine, mem.allocCpumask('idle cpumask'), mem.allocCpumask('idle smtmask'));
    // ext_idle.c: implementing ops.update_idle turns built-in tracking off unless KEEP_BUILTIN_IDLE
    this.builtinIdle = !ops.has('update_idle') || (ops.flags & OpsFlag.KEEP_BUILTIN_IDLE) !== 0n;
    const implemented: Partial<Record<OpName, true>> = Object.create(null);
    for (const op of OP_NAMES) if (ops.has(op)) implemented[op] = true;
    this.implemented = implemented;
    this.enqExiting = (ops.flags & OpsFlag.ENQ_EXITING) !== 0n;
    this.enqLast = (ops.flags & OpsFlag.ENQ_LAST) !== 0n;
    this.maxBatch = ops.dispatchMaxBatch > 0 ? ops.dispatchMaxBatch : DSP_DFL_MAX_BATCH;
    const ms = ops.timeoutMs > 0 ? Math.min(ops.timeoutMs, WATCHDOG_MAX_TIMEOUT_MS) : WATCHDOG_MAX_TIMEOUT_MS;
    this.timeoutNs = ms * 1_000_000;
  }

  now(): number {
    return this.host.now();
  }

  /** A reusable kernel argument struct (the kernel passes these on its stack), zeroed. */
  scratch(name: string, size: number): Region {
    let r = this.scratchRegions.get(name);
    if (!r) {
      r = this.mem.alloc(name, size);
      this.scratchRegions.set(name, r);
    }
    r.bytes.fill(0);
    return r;
  }

  get ctx(): OpContext | undefined {
    // Not stack[length - 1] on an empty stack: a read at index -1 leaves V8's fast element path (a property lookup up the prototype chain)
    const stack = this.ctxStack;
    return stack.length > 0 ? stack[stack.length - 1] : undefined;
  }

  /** Ops stop being called once an exit is pending (the kernel's bypass mode). */
  get bypass(): boolean {
    return this.disabled || this.exitPending !== undefined;
  }

  // ---- calling ops -------------------------------------------------------

  has(op: OpName): boolean {
    return this.implemented[op] === true && this.exitPending === undefined && !this.disabled;
  }

  /**
   * SCX_CALL_OP: run one op with its kfunc mask. A fault becomes the error
   * exit the kernel would take; the return value is then 0.
   */
  callOp(op: OpName, cpu: number, mask: number, args: bigint[], pid = -1, ddspTask: SimTask | null = null, unchecked = false): bigint {
    if (!unchecked && !this.has(op)) return 0n;
    const stack = this.ctxStack;
    const depth = stack.length;
    let ctx = this.ctxPool[depth];
    if (ctx === undefined) {
      ctx = { op, cpu, mask, ddspTask };
      this.ctxPool[depth] = ctx;
    } else {
      ctx.op = op;
      ctx.cpu = cpu;
      ctx.mask = mask;
      ctx.ddspTask = ddspTask;
    }
    stack.push(ctx);
    let ret = 0n;
    let insns = 0;
    try {
      const r = this.ops.call(op, args);
      ret = r.ret;
      insns = r.insns;
    } catch (e) {
      if (!(e instanceof BpfFault)) throw e;
      this.faultExit(e);
    } finally {
      this.ctxStack.pop();
    }
    const slot = this.opCalls & (RECENT_OPS - 1);
    this.recentOps[slot] = op;
    this.recentOpCpu[slot] = cpu;
    this.recentOpPid[slot] = pid;
    this.opCalls++;
    this.insns += insns;
    if (this.host.listening()) {
      this.host.emit({ t: this.now(), kind: 'op', cpu, op, pid, args: formatArgs(args, pid >= 0 ? 1 : 0), ret: formatRet(ret), insns });
    }
    return ret;
  }

  /** The most recent op calls, oldest first: "enqueue(cpu 0, pid 3)". */
  recentOpCalls(): string[] {
    const out: string[] = [];
    for (let n = Math.max(0, this.opCalls - RECENT_OPS); n < this.opCalls; n++) {
      const slot = n & (RECENT_OPS - 1);
      const pid = this.recentOpPid[slot]!;
      out.push(`${this.recentOps[slot]}(cpu ${this.recentOpCpu[slot]}${pid >= 0 ? `, pid ${pid}` : ''})`);
    }
    return out;
  }

  // ---- errors (scx_error / scx_exit) ------------------------------------

  /** scx_error(): a kernel-detected misuse; the first error wins, like scx_vexit(). */
  error(message: string, kind: number = ExitKind.ERROR, at: KfuncSite | undefined = this.kfuncSite): void {
    if (at) {
      const li = this.ops.sourceLine?.(at.program, at.insn);
      return this.exit(kind, message, { program: at.program, line: li?.line, file: li?.file });
    }
    const program = this.ctx && this.ctx.op !== 'tp_btf' ? this.ops.programOf(this.ctx.op) : undefined;
    this.exit(kind, message, program ? { program } : {});
  }

  exit(kind: number, message: string, site: { program?: string; line?: number; file?: string } = {}, code = 0n, diagKind?: Diagnostic['kind']): void {
    if (this.exitPending || this.disabled) return;
    const info: ExitInfo = { kind: exitKindName(kind), reason: exitReason(kind), message, ...site };
    this.exitPending = info;
    this.exitCode = code;
    // scx_bypass(true) on the way out: the first and only bypass activation of a simulated scheduler
    this.events.add(EV.BYPASS_ACTIVATE);
    if (kind >= ExitKind.ERROR) {
      this.diag({ kind: diagKind ?? (kind === ExitKind.ERROR_STALL ? 'stall' : kind === ExitKind.ERROR ? 'refused' : 'fault'), message, ...site });
    }
  }

  faultExit(e: BpfFault): void {
    const s = e.site;
    this.exit(ExitKind.ERROR, `BPF fault (${e.kind}): ${e.message}`, { program: s.program, line: s.line, file: s.file }, 0n, 'fault');
  }

  diag(d: Diagnostic): void {
    const clean = Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as unknown as Diagnostic;
    this.diagnostics.push(clean);
    this.host.emit({ t: this.now(), kind: 'diagnostic', diag: clean });
  }

  /** ops_cpu_valid(): a CPU number from the scheduler must name a possible CPU. */
  cpuValid(cpu: number, where: string): boolean {
    if (Number.isInteger(cpu) && cpu >= 0 && cpu < this.cpus.length) return true;
    this.error(`invalid CPU ${cpu} ${where}`);
    return false;
  }

  // ---- task state --------------------------------------------------------

  setTaskState(p: SimTask, state: SimTask['state']): void {
    p.state = state;
    if (this.host.listening()) this.host.emit({ t: this.now(), kind: 'task_state', pid: p.pid, state, cpu: p.cpu });
  }

  setTaskCpu(p: SimTask, cpu: number): void {
    if (p.cpu === cpu) return;
    p.cpu = cpu;
    p.syncCpu();
  }

  /** Charge the running task (update_curr_scx): runtime, the slice unless SCX_SLICE_INF, and its burst. */
  updateCurr(cpu: SimCpu): void {
    const p = cpu.curr;
    if (!p) return;
    const now = this.now();
    const dt = now - cpu.execStart;
    if (dt <= 0) return;
    cpu.execStart = now;
    p.runtimeNs += dt;
    cpu.busyNs += dt;
    p.fairVruntime += (dt * 100) / p.weight;
    p.chargeSlice(dt);
    // the workload's current CPU burst progresses with the time charged
    const b = p.behaviour;
    if (b) b.remainingRun = b.remainingRun > dt ? b.remainingRun - dt : 0;
  }

  // ---- wakeup and enqueue (ttwu → select_task_rq_scx → enqueue_task_scx) --

  /** Wake a sleeping or new task: pick its CPU, enqueue it, poke the CPU if idle. */
  wakeUp(p: SimTask, wakeFlags: number = WakeFlag.TTWU): void {
    let enqFlags = wakeFlags & WakeFlag.FORK ? 0n : EnqFlag.WAKEUP;
    // ENQUEUE_RQ_SELECTED → SCX_ENQ_CPU_SELECTED: the class's select_task_rq ran (more than one allowed CPU)
    if (enqFlags && p.nrAllowed > 1) enqFlags |= EnqFlag.CPU_SELECTED;
    this.selectedCpu = -1;
    const cpu = this.selectTaskRq(p, wakeFlags);
    this.setTaskCpu(p, cpu);
    this.enqueueTask(p, enqFlags);
    // enqueue_task_scx(): the task landed on another CPU than the one selected for it
    if (enqFlags & EnqFlag.CPU_SELECTED && !isFair(this, p) && this.selectedCpu >= 0 && cpu !== this.selectedCpu) this.events.add(EV.SELECT_CPU_FALLBACK);
    // ttwu_do_wakeup() / wake_up_new_task(): trace_sched_wakeup[_new] after the enqueue
    if (this.ops.tracing) traceWakeup(this, p, (wakeFlags & WakeFlag.FORK) !== 0);
    // wakeup_preempt(): a task of a higher class than idle makes an idle CPU reschedule
    if (this.cpus[cpu]!.curr === null) this.host.resched(cpu);
  }

  selectTaskRq(p: SimTask, wakeFlags: number): number {
    const prev = p.cpu;
    // select_task_rq() only asks the class when the task may run on more than one CPU
    let cpu = prev;
    if (p.nrAllowed <= 1) cpu = p.isAllowed(prev) ? prev : p.firstAllowed();
    else if (isFair(this, p)) {
      cpu = this.idle.selectDfl(p.allowed, prev).cpu;
    } else if (this.ops.has('select_cpu')) {
      const ret = this.callOp('select_cpu', prev, KfMask.ENQUEUE | KfMask.SELECT_CPU, [p.ptr, BigInt(prev), BigInt(wakeFlags)], p.pid, p);
      const c = Number(BigInt.asIntN(32, ret));
      this.selectedCpu = c;
      cpu = this.bypass || !this.cpuValid(c, 'from ops.select_cpu()') ? prev : c;
    } else if (this.builtinIdle) {
      const r = this.idle.selectDfl(p.allowed, prev);
      cpu = r.cpu;
      this.selectedCpu = cpu;
      // select_task_rq_scx() without ops.select_cpu: an idle pick is direct-dispatched locally
      if (r.idle) {
        p.slice = SLICE_DFL;
        this.events.add(EV.REFILL_SLICE_DFL);
        p.ddspDsqId = (1n << 63n) | 2n;
        p.ddspEnqFlags = 0n;
      }
    }
    // select_task_rq(): a disallowed or offline answer falls back (select_fallback_rq)
    if (p.isAllowed(cpu) && this.cpus[cpu]!.online) return cpu;
    for (const c of this.cpus) if (c.online && p.isAllowed(c.id)) return c.id;
    for (const c of this.cpus) if (c.online) return c.id;
    return cpu;
  }

  /** enqueue_task_scx(). */
  enqueueTask(p: SimTask, enqFlags: bigint): void {
    p.queued = true;
    p.syncQueued();
    const now = this.now();
    if (p.runnableAt < 0) p.runnableAt = now;
    p.readySince = now;
    this.setTaskState(p, 'runnable');
    if (isFair(this, p)) return this.enqueueBypassOrFair(p);
    if (this.has('runnable')) this.callOp('runnable', p.cpu, KfMask.REST, [p.ptr, enqFlags], p.pid, null, true);
    this.doEnqueue(p, enqFlags);
  }

  /** do_enqueue_task(): direct dispatch, the exiting/fallback shortcuts, or ops.enqueue. */
  doEnqueue(p: SimTask, enqFlags: bigint): void {
    if (isFair(this, p)) {
      p.ddspDsqId = DSQ_INVALID;
      return this.enqueueBypassOrFair(p);
    }
    if (p.ddspDsqId !== DSQ_INVALID) return directDispatch(this, p, enqFlags);
    if (p.exiting && !this.enqExiting) {
      // exiting tasks skip the BPF scheduler unless SCX_OPS_ENQ_EXITING
      this.events.add(EV.ENQ_SKIP_EXITING);
      this.events.add(EV.REFILL_SLICE_DFL);
      p.slice = SLICE_DFL;
      return dispatchEnqueue(this, this.cpus[p.cpu]!.local, p, enqFlags);
    }
    if (!this.ops.has('enqueue')) {
      this.events.add(EV.REFILL_SLICE_DFL);
      p.slice = SLICE_DFL;
      return dispatchEnqueue(this, this.globalDsq, p, enqFlags);
    }
    p.qseq = this.opsQseq++;
    p.opsState = OpsState.QUEUEING;
    this.callOp('enqueue', p.cpu, KfMask.ENQUEUE, [p.ptr, enqFlags], p.pid, p);
    if (p.ddspDsqId !== DSQ_INVALID && !this.bypass) return directDispatch(this, p, enqFlags);
    p.opsState = OpsState.QUEUED;
    if (this.bypass) this.doEnqueue(p, enqFlags);
  }

  /** A fair task to its class; a sched_ext task while bypassing goes global with a default slice (do_enqueue_task). */
  private enqueueBypassOrFair(p: SimTask): void {
    if (!p.fair) {
      this.events.add(EV.BYPASS_DISPATCH);
      this.events.add(EV.REFILL_SLICE_DFL);
    }
    enqueueFair(this, p);
  }

  /**
   * dequeue_task_scx(): ops.dequeue while the BPF scheduler owns the task,
   * then stopping (if it is running) and quiescent, and off any DSQ.
   */
  dequeueTask(p: SimTask, deqFlags: bigint): void {
    if (!p.queued) return;
    p.runnableAt = -1;
    if (p.fair) {
      if (p.dsq) p.dsq.remove(p);
      p.queued = false;
      p.syncQueued();
      return;
    }
    if (p.opsState === OpsState.QUEUED) {
      if (this.has('dequeue')) this.callOp('dequeue', p.cpu, KfMask.REST, [p.ptr, deqFlags], p.pid, null, true);
      p.opsState = OpsState.NONE;
    }
    const cpu = this.cpus[p.cpu]!;
    if (cpu.curr === p) {
      this.updateCurr(cpu);
      if (this.has('stopping')) this.callOp('stopping', cpu.id, KfMask.REST, [p.ptr, 0n], p.pid, null, true);
    }
    if (this.has('quiescent')) this.callOp('quiescent', p.cpu, KfMask.REST, [p.ptr, deqFlags], p.pid, null, true);
    p.queued = false;
    p.syncQueued();
    if (p.dsq) this.removeFromDsq(p, 'dequeue');
  }

  removeFromDsq(p: SimTask, reason: 'consume' | 'move' | 'dequeue' | 'run'): void {
    const dsq = p.dsq;
    if (!dsq) return;
    dsq.remove(p);
    if (this.host.listening()) {
      this.host.emit({ t: this.now(), kind: 'dsq_remove', cpu: this.ctx?.cpu ?? p.cpu, dsq: dsq.idText, pid: p.pid, reason });
    }
  }

  /** removeFromDsq() for the task at index `i` of `dsq` (it is on that DSQ). */
  removeFromDsqAt(dsq: DispatchQueue, i: number, reason: 'consume' | 'move' | 'dequeue' | 'run'): void {
    const p = dsq.removeAt(i);
    if (this.host.listening()) {
      this.host.emit({ t: this.now(), kind: 'dsq_remove', cpu: this.ctx?.cpu ?? p.cpu, dsq: dsq.idText, pid: p.pid, reason });
    }
  }

  /** The DSQ a kfunc names, for lookups that do not dispatch (nr_queued, peek, iterators). */
  lookupDsq(id: bigint, cpu: number): DispatchQueue | undefined {
    if (id === DSQ_GLOBAL) return this.globalDsq;
    if (id === ((1n << 63n) | 2n)) return this.cpus[cpu]?.local;
    if ((id & ((3n << 62n))) === (3n << 62n)) return this.cpus[Number(id & 0xffff_ffffn)]?.local;
    return this.userDsqs.get(id);
  }
}

/**
 * Formatted op arguments by value: most are task pointers, CPU numbers and
 * flags that recur for the whole run, and an op event formats each of them.
 * Bounded, since BPF code chooses some values.
 */
const argStrings = new Map<bigint, string>();

function formatArg(v: bigint): string {
  let s = argStrings.get(v);
  if (s === undefined) {
    s = v > 0xffff_ffffn ? '0x' + v.toString(16) : v.toString();
    if (argStrings.size >= 65536) argStrings.clear();
    argStrings.set(v, s);
  }
  return s;
}

/** Decimal strings of small return values (an op event carries its return value as text). */
const SMALL_DECIMALS: readonly string[] = Array.from({ length: 1024 }, (_, i) => String(i));

function formatRet(v: bigint): string {
  return v >= 0n && v < 1024n ? SMALL_DECIMALS[Number(v)]! : v.toString();
}

function formatArgs(args: readonly bigint[], from: number): string[] {
  const out: string[] = [];
  for (let i = from; i < args.length; i++) out.push(formatArg(args[i]!));
  return out;
}

/** scx_exit_reason() in ext.c. */
export function exitReason(kind: number): string {
  switch (kind) {
    case ExitKind.UNREG: return 'unregistered from user space';
    case ExitKind.UNREG_BPF: return 'unregistered from BPF';
    case ExitKind.UNREG_KERN: return 'unregistered from the main kernel';
    case ExitKind.SYSRQ: return 'disabled by sysrq-S';
    case ExitKind.ERROR: return 'runtime error';
    case ExitKind.ERROR_BPF: return 'scx_bpf_error';
    case ExitKind.ERROR_STALL: return 'runnable task stall';
    default: return '<UNKNOWN>';
  }
}

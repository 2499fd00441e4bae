// Runs a setup module beside a Simulation, in libbpf's order: its
// beforeLoad(skel) between open and load (rodata, max_entries, value sizes,
// user tasks whose pids the BPF side must know), afterLoad(skel) once maps
// and programs exist but before the scheduler is attached (map population,
// SEC("syscall") programs), afterAttach(skel) once ops.init ran; then its
// every(ms) callbacks and userTask bodies in virtual time. Output goes to the
// run's events as printk from program "setup" (every() rounds as
// "setup:every" markers) and to `log`. A module that fails before attach
// stops the run from starting (SetupError); after attach, its failure
// unregisters the scheduler the way a crashed scx_* process drops its link.

import type { MachineSpec, SimEvent } from '../../model/events';
import type { Btf } from '../../sched_ext/btf/btf';
import type { OpenedObject } from '../../sched_ext/loader/index';
import type { LoadedObject } from '../../sched_ext/loader/object';
import type { BpfRuntime } from '../../sched_ext/runtime/runtime';
import type { BpfMap } from '../../sched_ext/runtime/maps/map';
import { TypedValueError } from '../../sched_ext/btf/typed_value';
import { ExitKind } from '../kernel/consts';
import type { World } from '../world';
import { TaskGroupSpec, type WorkloadGroup } from '../workload/schema';
import { SetupError, type SetupModule } from './module';
import { DEFAULT_SETUP_BUDGET_MS, SetupSandbox, type SetupFunction } from './sandbox';
import { SkelMap } from './skel_maps';
import { makeSkeleton, type UserTaskOptions } from './skeleton';
import type { SetupPhase, SetupState } from './state';
import { SyscallRunner } from './test_run';
import { MIN_ROUND_NS, UserTaskBehaviour, type UserTaskRound } from './user_task';
import type { TaskBehaviour } from '../workload/behaviour';
import { Rng } from '../workload/rng';

export interface SetupRunOptions {
  module: SetupModule;
  machine: MachineSpec;
  seed: number;
  /** Wall-clock budget of each call into the module (default DEFAULT_SETUP_BUDGET_MS). */
  budgetMs?: number;
}

export interface SetupLogLine {
  /** Virtual time, ns (0 for output before attach). */
  t: number;
  text: string;
}

interface Every {
  ns: number;
  fn: SetupFunction;
  rounds: number;
}

interface UserTaskDecl {
  name: string;
  group: WorkloadGroup;
  fn: SetupFunction;
  runNs: number;
  pid: number;
}

/** Events the setup emits: printk from these program names. */
export const SETUP_PROGRAM = 'setup';
export const SETUP_EVERY_PROGRAM = 'setup:every';

export class SetupRun implements SetupState {
  phase: SetupPhase = 'open';
  opened?: OpenedObject;
  object?: LoadedObject;
  runtime?: BpfRuntime;
  readonly machine: MachineSpec;
  readonly log: SetupLogLine[] = [];
  /** Set when the module failed after attach (the scheduler was unregistered). */
  failure?: SetupError;
  private readonly sandbox: SetupSandbox;
  private readonly skel: object;
  private world?: World;
  private syscall?: SyscallRunner;
  private onCpu: <T>(cpu: number, fn: () => T) => T = (_c, fn) => fn();
  private readonly pending: SimEvent[] = [];
  private readonly everies: Every[] = [];
  private readonly userTasks: UserTaskDecl[] = [];
  private readonly skelMaps = new Map<BpfMap | string, SkelMap>();
  private readonly ringbufs = new Map<string, Uint8Array[]>();
  private innerIds = 0;

  constructor(private readonly opts: SetupRunOptions) {
    this.machine = opts.machine;
    // a stream of its own, so a module's Math.random() does not shift the workload's or the BPF side's draws
    const rng = new Rng(opts.seed, 0x5e7d);
    this.sandbox = new SetupSandbox(opts.module, opts.budgetMs ?? DEFAULT_SETUP_BUDGET_MS, (text) => this.print(text), {
      random: () => rng.u32() / 2 ** 32,
      nowMs: () => this.now() / 1e6,
    });
    this.skel = makeSkeleton(this);
  }

  get file(): string {
    return this.opts.module.file;
  }

  // ---- SetupState --------------------------------------------------------------

  btf(): Btf {
    const b = this.opened?.btf ?? this.object?.btf;
    if (b === undefined) throw new SetupError(`${this.file}: the object is not open yet`);
    return b;
  }

  skelMapFor(map: BpfMap | string): SkelMap {
    let m = this.skelMaps.get(map);
    if (m === undefined) {
      m = typeof map === 'string' ? new SkelMap(this, map) : new SkelMap(this, map.name, map);
      this.skelMaps.set(map, m);
    }
    return m;
  }

  nextInnerId(): number {
    return ++this.innerIds;
  }

  takeRingbuf(map: string): Uint8Array[] {
    const q = this.ringbufs.get(map) ?? [];
    this.ringbufs.set(map, []);
    return q;
  }

  // ---- services for the skeleton ------------------------------------------------

  now(): number {
    return this.world?.now ?? 0;
  }

  print(text: string, program = SETUP_PROGRAM): void {
    const t = this.phase === 'attached' ? this.now() : 0;
    if (program === SETUP_PROGRAM) this.log.push({ t, text });
    const ev: SimEvent = { t, kind: 'printk', cpu: this.currentCpu(), program, text };
    if (this.phase === 'attached') this.world?.machine.emit(ev);
    else this.pending.push(ev);
  }

  private currentCpu(): number {
    const core = this.world?.core;
    return core?.ctx?.cpu ?? 0;
  }

  exitInfo(): unknown {
    const core = this.world?.core;
    const info = core?.exitPending ?? core?.exitInfo;
    return info === undefined ? undefined : { ...info };
  }

  testRun(program: string, ctx: Uint8Array, cpu = 0): { retval: bigint; ctx: Uint8Array } {
    const label = `skel.progs.${program}.testRun`;
    if (this.phase === 'open' || this.syscall === undefined) throw new TypedValueError(label, 'programs exist only after load; call testRun in afterLoad or afterAttach');
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= this.machine.cpus) throw new TypedValueError(label, `cpu ${String(cpu)} is not a CPU of the machine (0..${this.machine.cpus - 1})`);
    // the program runs on the CPU the calling thread is pinned to, as the kernel runs it on the caller's
    const syscall = this.syscall;
    return this.onCpu(cpu, () => syscall.run(program, ctx));
  }

  every(ms: unknown, fn: unknown): void {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) throw new TypedValueError('skel.every', `the period must be a positive number of milliseconds, got ${String(ms)}`);
    if (typeof fn !== 'function') throw new TypedValueError('skel.every', 'the second argument must be a function');
    const e: Every = { ns: Math.max(MIN_ROUND_NS, Math.round(ms * 1e6)), fn: fn as SetupFunction, rounds: 0 };
    this.everies.push(e);
    if (this.phase === 'attached') this.schedule(e);
  }

  userTask(name: unknown, fn: unknown, o: UserTaskOptions = {}): { pid: number; name: string } {
    if (this.phase !== 'open') throw new TypedValueError('skel.userTask', 'user tasks are created in beforeLoad, so their pids are known before load (scx_userland writes usersched_pid before SCX_OPS_LOAD)');
    if (typeof name !== 'string' || !/^[\w.:-]{1,15}$/.test(name)) throw new TypedValueError('skel.userTask', `the name must be 1 to 15 characters (a task comm), got ${JSON.stringify(name)}`);
    if (typeof fn !== 'function') throw new TypedValueError('skel.userTask', 'the second argument must be a function');
    const runNs = o.runNs ?? 20_000;
    if (typeof runNs !== 'number' || !Number.isFinite(runNs) || runNs < MIN_ROUND_NS) throw new TypedValueError('skel.userTask', `runNs must be at least ${MIN_ROUND_NS}`);
    const group = TaskGroupSpec.parse({ name: `setup:${name}`, comm: name, count: 1, nice: o.nice ?? 0, steps: [{ yield: true }] }) as WorkloadGroup;
    const decl: UserTaskDecl = { name, group, fn: fn as SetupFunction, runNs, pid: this.userTasks.length + 1 };
    this.userTasks.push(decl);
    return { pid: decl.pid, name };
  }

  // ---- phases (called by Simulation) ----------------------------------------------

  /** openObject's beforeLoad hook. */
  beforeLoad(open: OpenedObject): void {
    this.opened = open;
    this.callPhase('beforeLoad');
  }

  /** Workload groups of the user tasks, to come first in the workload (their pids are 1..n, as promised). */
  userTaskGroups(): WorkloadGroup[] {
    return this.userTasks.map((u) => u.group);
  }

  /** World's behaviour hook: user tasks run their body. */
  behaviourFor(spec: WorkloadGroup, index: number, pid: number, now: number, seed: number): TaskBehaviour | undefined {
    const decl = this.userTasks.find((u) => u.group === spec);
    if (decl === undefined) return undefined;
    if (pid !== decl.pid) throw new SetupError(`${this.file}: user task ${decl.name} got pid ${pid}, not the ${decl.pid} promised before load`);
    return new UserTaskBehaviour(spec, index, now, seed, pid, () => this.userRound(decl));
  }

  /**
   * `onCpu(cpu, fn)` runs `fn` with the runtime's current CPU set to `cpu`:
   * where a test-run syscall program runs (its bpf_get_smp_processor_id()).
   */
  afterLoad(object: LoadedObject, runtime: BpfRuntime, world: World, onCpu: <T>(cpu: number, fn: () => T) => T = (_c, fn) => fn()): void {
    this.onCpu = onCpu;
    this.opened = undefined;
    this.object = object;
    this.runtime = runtime;
    this.world = world;
    this.syscall = new SyscallRunner(object, runtime);
    this.phase = 'loaded';
    const rb = object.maps.filter((m) => m.type === 27).map((m) => m.name);
    if (rb.length > 0) {
      for (const n of rb) this.ringbufs.set(n, []);
      world.machine.listeners.push((ev) => {
        if (ev.kind === 'ringbuf') this.ringbufs.get(ev.map)?.push(ev.bytes);
      });
    }
    this.callPhase('afterLoad');
  }

  /** After ops.init: flush the output so far; if the scheduler attached, start the every() timers and call afterAttach (a failure unregisters). */
  afterAttach(attached: boolean): void {
    this.phase = 'attached';
    const m = this.world!.machine;
    for (const ev of this.pending.splice(0)) m.emit(ev);
    if (!attached) return;
    for (const e of this.everies) this.schedule(e);
    try {
      this.callPhase('afterAttach');
    } catch (e) {
      if (e instanceof SetupError) this.fail(e);
      else throw e;
    }
  }

  private callPhase(name: 'beforeLoad' | 'afterLoad' | 'afterAttach'): void {
    const fn = this.sandbox.exported(name);
    if (fn !== undefined) this.sandbox.call(fn, [this.skel], `${name}(skel)`);
  }

  private schedule(e: Every): void {
    const w = this.world!;
    const live = { cancelled: false };
    const fire = () => {
      if (this.failure !== undefined || w.core.disabled) return;
      e.rounds++;
      this.print(`every(${e.ns / 1e6}ms) #${e.rounds}`, SETUP_EVERY_PROGRAM);
      try {
        this.sandbox.call(e.fn, [{ round: e.rounds, now: w.now }], `every(${e.ns / 1e6}ms) callback #${e.rounds}`);
      } catch (err) {
        if (err instanceof SetupError) return this.fail(err);
        throw err;
      }
      w.machine.queue.push(w.now + e.ns, { k: 'timer', fire, live });
    };
    w.machine.queue.push(w.now + e.ns, { k: 'timer', fire, live });
  }

  private userRound(decl: UserTaskDecl): UserTaskRound {
    if (this.failure !== undefined) return { runNs: MIN_ROUND_NS, after: { kind: 'exit' } };
    try {
      const r = this.sandbox.call(decl.fn, [{ pid: decl.pid, now: this.now() }], `userTask ${decl.name} body`);
      return roundOf(r, decl, this.file);
    } catch (err) {
      if (!(err instanceof SetupError)) throw err;
      this.fail(err);
      return { runNs: MIN_ROUND_NS, after: { kind: 'exit' } };
    }
  }

  /** The userspace half died: record it and unregister the scheduler (SCX_EXIT_UNREG, like a dropped struct_ops link). */
  private fail(e: SetupError): void {
    if (this.failure !== undefined) return;
    this.failure = e;
    this.print(`error: ${e.message}`);
    this.world?.core.exit(ExitKind.UNREG, `the setup module failed: ${e.message}`);
  }
}

function roundOf(r: unknown, decl: UserTaskDecl, file: string): UserTaskRound {
  if (r === undefined || r === null) return { runNs: decl.runNs, after: { kind: 'yield' } };
  if (typeof r !== 'object') throw new SetupError(`${file}: userTask ${decl.name} body returned ${typeof r}; return nothing or { runNs, sleepMs, exit }`);
  const o = r as { runNs?: unknown; sleepMs?: unknown; exit?: unknown };
  const runNs = typeof o.runNs === 'number' && Number.isFinite(o.runNs) ? Math.max(MIN_ROUND_NS, o.runNs) : decl.runNs;
  if (o.exit === true) return { runNs, after: { kind: 'exit' } };
  if (typeof o.sleepMs === 'number' && o.sleepMs > 0) return { runNs, after: { kind: 'sleep', ns: Math.round(o.sleepMs * 1e6) } };
  return { runNs, after: { kind: 'yield' } };
}

// The public entry of the simulator: load a scheduler object through the
// loader and runtime, bind its kfuncs to the sched_ext core, run a workload
// on a simulated machine, and report what happened (events, snapshots, a
// summary). Same object, workload, seed and options → identical events.

import { openObject, type GlobalSet, type OpenedObject, type ResizeOptions } from '../sched_ext/loader/index';
import { loadSetupModule, type SetupModule } from './setup/module';
import { SetupRun } from './setup/setup_run';
import { BpfRuntime } from '../sched_ext/runtime/runtime';
import { KfuncRegistry } from '../sched_ext/runtime/kfunc_registry';
import { runqueuesOf } from './kernel/runqueues';
import type { EngineKind } from '../sched_ext/vm/abi';
import type { LoadedObject } from '../sched_ext/loader/object';
import type { MachineSpec, RunInfo, SimEvent, SimSnapshot } from '../model/events';
import { createKernelEnv, DEFAULT_KERNEL_VERSION } from './kernel/kernel_env';
import { registerSchedExtKfuncs } from './kfuncs/index';
import { BpfSchedOps } from './bpf_ops';
import { checkKernelVersion, checkMachineSpec } from './setup_checks';
import { World } from './world';
import type { Workload } from './workload/schema';
import { loadWorkload } from './workload/load';
import { Rng } from './workload/rng';
import { summarize, type RunSummary } from './summary';
import { takeSnapshot } from './snapshot';
import { ejectScheduler } from './core/eject';
import { ExitKind } from './kernel/consts';
import { SCXRAY_VERSION } from '../base/version';

export { SimSetupError } from './bpf_ops';
export type { RunSummary } from './summary';

export interface SimulationOptions {
  objectBytes: Uint8Array;
  file: string;
  /** A parsed workload, or a preset name / JSON path. */
  workload: Workload | string;
  cpus: number | MachineSpec;
  seed: number;
  engine?: EngineKind;
  kernelVersion?: string;
  /** .rodata/.data variables assigned before load (the loader's rodataOverrides). */
  sets?: Record<string, bigint | Uint8Array>;
  /** Global data resized before load (the loader's resize, like bpf_map__set_value_size). */
  resize?: ResizeOptions;
  /** `--set` items (parseGlobalSets), typed by BTF; applied after `sets`. */
  globalSets?: GlobalSet[];
  /**
   * The scheduler's userspace half (setup/setup_run.ts): a compiled setup
   * module (loadSetupModule / compileSetupModule) or the path of one.
   */
  setup?: SetupModule | string;
  /** Wall-clock budget of each call into the setup module, ms (default 2000). */
  setupBudgetMs?: number;
}

export class Simulation {
  readonly info: RunInfo;
  readonly object: LoadedObject;
  readonly runtime: BpfRuntime;
  readonly world: World;
  /** The setup module's run, when there is one: its log and failure. */
  readonly setup?: SetupRun;
  private started = false;

  constructor(opts: SimulationOptions) {
    const machine: MachineSpec = typeof opts.cpus === 'number' ? { cpus: opts.cpus } : opts.cpus;
    checkMachineSpec(machine);
    const baseWorkload = typeof opts.workload === 'string' ? loadWorkload(opts.workload) : opts.workload;
    const setupModule = typeof opts.setup === 'string' ? loadSetupModule(opts.setup) : opts.setup;
    const setup = setupModule ? new SetupRun({ module: setupModule, machine, seed: opts.seed, ...(opts.setupBudgetMs !== undefined ? { budgetMs: opts.setupBudgetMs } : {}) }) : undefined;
    const version = opts.kernelVersion ?? DEFAULT_KERNEL_VERSION;
    checkKernelVersion(version);
    const kernel = createKernelEnv({ version });
    this.object = openObject(opts.objectBytes, { file: opts.file, kernel, rodataOverrides: opts.sets, ...(opts.globalSets ? { globalSets: opts.globalSets } : {}), ...(opts.resize ? { resize: opts.resize } : {}), ...(setup ? { beforeLoad: (o: OpenedObject) => setup.beforeLoad(o) } : {}) });
    // a setup's user tasks exist at load and take pids 1..n, which it promised the BPF side
    const workload = setup && setup.userTaskGroups().length > 0 ? { ...baseWorkload, groups: [...setup.userTaskGroups(), ...baseWorkload.groups] } : baseWorkload;
    const rng = new Rng(opts.seed, 0x5eed);
    // the runtime's host and the kfuncs need the world, which needs the runtime's address space
    // pinnedCpu: where a setup module's test-run syscall program runs (setup.afterLoad's onCpu)
    const holder: { world?: World; pinnedCpu?: number } = {};
    const w = () => holder.world!;
    const registry = new KfuncRegistry(kernel.btf);
    this.runtime = new BpfRuntime({
      object: this.object,
      kernel,
      engine: opts.engine,
      registry,
      host: {
        now: () => BigInt(holder.world ? holder.world.now : 0),
        currentCpu: () => holder.pinnedCpu ?? (holder.world ? (holder.world.core.ctx?.cpu ?? 0) : 0),
        nrCpus: machine.cpus,
        random32: () => rng.u32(),
        emit: (ev) => holder.world?.machine.emit(ev),
        // events before the world exists are dropped by emit, so nobody listens then either
        listening: () => (holder.world ? holder.world.machine.listening() : false),
        taskKey: (ptr) => w().taskOfPtr(ptr)?.pid,
        cgroupKey: (ptr) => w().cgroupOfPtr(ptr)?.id,
        taskByPid: (pid) => w().core.tasks.get(pid)?.ptr,
        // typed kernel symbols: each CPU's runqueue and preemption count
        kernelSymbol: (name, cpu) => {
          const core = holder.world?.core;
          return core === undefined ? undefined : runqueuesOf(core).kernelSymbol(name, cpu);
        },
        // bpf_get_current_task_btf: rq->curr of the CPU the program runs on (while prev is put back, still prev);
        // on an idle CPU that is its idle task (pid 0), as in the kernel
        currentTask: () => {
          const core = holder.world?.core;
          if (core === undefined) return undefined;
          return runqueuesOf(core).curr(core.ctx?.cpu ?? 0);
        },
        // the callback runs on the CPU that armed the timer (the hrtimer is queued on that CPU's base)
        scheduleTimer: (atNs, cpu, fire) => {
          const live = { cancelled: false };
          const onCpu = () => {
            const outer = holder.pinnedCpu;
            holder.pinnedCpu = cpu;
            try {
              fire();
            } finally {
              holder.pinnedCpu = outer;
            }
          };
          w().machine.queue.push(Math.max(w().now, Number(atNs)), { k: 'timer', fire: onCpu, live });
          return () => { live.cancelled = true; };
        },
      },
    });
    registerSchedExtKfuncs(registry, {
      core: () => w().core,
      kernelVersion: version,
      acquire: (env, ptr, what) => this.runtime.kernelRefs.acquire(env, ptr, what),
    });
    const ops = new BpfSchedOps(this.object, this.runtime);
    const world = new World({ ops, space: this.runtime.space, kernel, workload, machine, seed: opts.seed, ...(setup ? { behaviourFor: setup.behaviourFor.bind(setup) } : {}) });
    holder.world = world;
    this.world = world;
    if (setup) {
      this.setup = setup;
      setup.afterLoad(this.object, this.runtime, world, (cpu, fn) => {
        holder.pinnedCpu = cpu;
        try {
          return fn();
        } finally {
          holder.pinnedCpu = undefined;
        }
      });
    }
    this.info = {
      scheduler: ops.name,
      objectFile: opts.file,
      objectSha256: this.object.sha256,
      workload: workload.name,
      seed: opts.seed,
      machine,
      kernelVersion: version,
      scxrayVersion: SCXRAY_VERSION,
      ...(setupModule ? { setup: { file: setupModule.file, sha256: setupModule.sha256 } } : {}),
    };
  }

  get now(): number {
    return this.world.now;
  }

  /** Whether the scheduler has been ejected (or exited on its own). */
  get ejected(): boolean {
    return this.world.core.disabled && this.world.core.exitInfo !== undefined;
  }

  on(listener: (ev: SimEvent) => void): () => void {
    // the machine only formats events while someone listens
    const ls = this.world.machine.listeners;
    ls.push(listener);
    return () => {
      const i = ls.indexOf(listener);
      if (i >= 0) ls.splice(i, 1);
    };
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.world.start();
    // SCX_OPS_ATTACH succeeded unless ops.init failed: only then does user space go on past attach
    this.setup?.afterAttach(!this.world.core.exitPending && !this.world.core.disabled);
    if (this.world.core.exitPending) ejectScheduler(this.world.core);
  }

  runFor(ns: number): void {
    this.runUntil(this.now + ns);
  }

  runUntil(t: number, stop?: () => boolean): void {
    this.start();
    this.world.machine.runUntil(t, stop);
  }

  /** Unregister the scheduler like `scx` user space does on exit: ops.exit with SCX_EXIT_UNREG. */
  unload(): void {
    this.start();
    const core = this.world.core;
    if (!core.disabled) {
      core.exit(ExitKind.UNREG, 'the run ended');
      ejectScheduler(core);
      core.exitInfo = undefined;
    }
    this.runtime.unload();
  }

  snapshot(): SimSnapshot {
    const snap = takeSnapshot(this.world.core, this.runtime);
    // arenas ride along in keyframes like maps (the trace reducer carries them)
    const arenas = this.runtime.arenaContents();
    if (arenas.length > 0) snap.arenas = arenas;
    return snap;
  }

  summary(): RunSummary {
    this.world.machine.settle();
    const diags = [...this.world.core.diagnostics, ...this.runtime.diagnostics()];
    const heap = { objects: this.runtime.heapObjects(), stats: this.runtime.heap.stats() };
    return summarize(this.world.core, this.now, this.world.machine.latencies, heap, diags);
  }
}

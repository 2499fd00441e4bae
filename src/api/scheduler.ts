// openScheduler(): load a scheduler object once (checked by the loader
// right away), then run it on any number of machines, workloads, seeds and
// kernel versions. Each run records a trace and returns a RunResult.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Simulation } from '../sim/simulation';
import { loadSetupModule, type SetupModule } from '../sim/setup/module';
import { TraceRecorder } from '../sim/trace/recorder';
import { objectLabels } from '../sim/trace/labels';
import { ApiError, readObject, simulationOptions, toNs, toWorkload, type LoadedBytes, type OpenOptions, type RunOptions } from './options';
import { Resimulator } from './instant';
import { RunResult } from './run_result';
import { TaskLatencyCollector } from './task_stats';

export class Scheduler {
  /** @internal use openScheduler() */
  constructor(
    private readonly obj: LoadedBytes,
    private readonly opts: OpenOptions,
    /** sched_ext_ops.name. */
    readonly name: string,
    private readonly setup?: SetupModule,
  ) {}

  get file(): string {
    return this.obj.file;
  }

  /** Run on a simulated machine for `duration` of virtual time; the scheduler is unregistered at the end unless it was ejected. */
  async run(run: RunOptions): Promise<RunResult> {
    const workload = toWorkload(run.workload);
    const durationNs = toNs(run.duration ?? '1s', 'duration');
    if (durationNs <= 0) throw new ApiError('duration', 'must be positive');
    const simOpts = simulationOptions(this.obj, this.opts, run, workload, this.setup);
    const sim = new Simulation(simOpts);
    const tempDir = run.record ? undefined : mkdtempSync(join(tmpdir(), 'scxray-run-'));
    const tracePath = run.record ?? join(tempDir!, 'run.scxtrace');
    const rec = new TraceRecorder(tracePath, sim.info, { snapshot: () => sim.snapshot(), labels: objectLabels(sim.object) });
    const latencies = new TaskLatencyCollector();
    sim.on((ev) => rec.event(ev));
    sim.on(latencies.listener);
    if (run.maxEvents !== undefined && !(Number.isInteger(run.maxEvents) && run.maxEvents > 0)) throw new ApiError('maxEvents', `must be a positive integer, got ${run.maxEvents}`);
    let truncated = false;
    const machine = sim.world.machine;
    const limit = run.maxEvents;
    sim.runUntil(durationNs, limit === undefined ? undefined : () => (truncated = machine.events >= limit));
    const summary = sim.summary();
    const setupInfo = sim.setup && sim.info.setup ? { ...sim.info.setup, log: [...sim.setup.log], ...(sim.setup.failure ? { failure: sim.setup.failure.message } : {}) } : undefined;
    const facts = {
      groupOfPid: sim.world.groupOfPid(),
      cgroupWeights: new Map(sim.world.core.cgroups.map((c) => [c.path, c.weight])),
      setup: setupInfo,
    };
    if (!summary.exit.ejected) sim.unload();
    rec.close();
    return new RunResult(sim.info, summary, tracePath, run.record !== undefined, latencies, facts, new Resimulator(simOpts), tempDir, truncated);
  }
}

/**
 * Load a scheduler object (a path to a clang-built *.bpf.o, or its bytes).
 * Loader problems throw the loader's LoadError (naming section, program,
 * instruction); a setup module that cannot load or fails before attach
 * throws SetupError; bad options throw ApiError.
 */
export async function openScheduler(object: string | Uint8Array, opts: OpenOptions = {}): Promise<Scheduler> {
  if (opts.setupBudgetMs !== undefined && !(Number.isInteger(opts.setupBudgetMs) && opts.setupBudgetMs >= 1)) throw new ApiError('setupBudgetMs', `must be a positive integer, got ${opts.setupBudgetMs}`);
  if (opts.setup === undefined && opts.setupBudgetMs !== undefined) throw new ApiError('setupBudgetMs', 'needs setup');
  const obj = readObject(object, opts.file);
  const setup = opts.setup === undefined ? undefined : loadSetupModule(opts.setup);
  // a throwaway load checks the object and options now, not at the first run. The setup
  // module's hooks depend on the machine (nrCpus), so with one the probe loads without it
  // and its problems wait for the first run, where the machine is known.
  const probeOpts = simulationOptions(obj, opts, { workload: 'cpu-hogs', cpus: 1 }, toWorkload('cpu-hogs'));
  let name: string;
  try {
    name = new Simulation(probeOpts).info.scheduler;
  } catch (e) {
    if (setup === undefined) throw e;
    name = obj.file.replace(/\.bpf\.o$|\.o$/, '');
  }
  return new Scheduler(obj, opts, name, setup);
}

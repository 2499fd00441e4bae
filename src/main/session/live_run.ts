// A run in progress: the simulation advances in steps scheduled with
// setImmediate (so requests are answered between steps), recording to a temp
// trace that the timeline queries read as it grows — the same path the UI
// uses to replay a recorded timeline.

import { join } from 'node:path';
import type { RunInfo } from '../../model/events';
import { Simulation } from '../../sim/simulation';
import { globalSetsFromRecord } from '../../sched_ext/loader/index';
import { compileSetupModule, SetupError } from '../../sim/setup/module';
import { TraceRecorder } from '../../sim/trace/recorder';
import { objectLabels } from '../../sim/trace/labels';
import { TraceReader } from '../../sim/trace/reader';
import { loadWorkload, parseWorkload } from '../../sim/workload/load';
import type { Workload } from '../../sim/workload/schema';
import type { PushChannel, PushPayload, RunStatus, StartRunParams } from '../../protocol/contract';
import { resolveWorkload } from './examples';
import { createRunDir, removeRunDir } from './run_dirs';
import { fail, SessionFailure } from './file_source';
import { readerTimeline, type Timeline, type TraceReaderLike } from './timeline';

export interface LiveRunOptions {
  runId: number;
  objectBytes: Uint8Array;
  objectFile: string;
  assetsDir: string;
  params: Required<Pick<StartRunParams, 'engine' | 'sets' | 'durationNs'>> & Omit<StartRunParams, 'engine' | 'sets' | 'durationNs'> & { workload: { preset: string } | { json: string } };
  push: <C extends PushChannel>(channel: C, payload: PushPayload<C>) => void;
}

/** Simulated time per step: about 200 steps per run, at least 1 ms. */
const stepNs = (durationNs: number) => Math.max(1_000_000, Math.ceil(durationNs / 200));
/** Wall-clock budget of one step before yielding to the event loop. */
const STEP_WALL_MS = 30;
/** Small chunks so a live view sees new events soon. */
const LIVE_CHUNK_EVENTS = 4096;

export function workloadOf(ref: { preset: string } | { json: string }, assetsDir: string): Workload {
  if ('preset' in ref) {
    const path = resolveWorkload(assetsDir, ref.preset);
    if (!path) fail({ code: 'not_found', message: `no workload preset named "${ref.preset}"`, where: 'params.workload.preset' });
    return loadWorkload(path);
  }
  return parseWorkload(ref.json, 'workload JSON');
}

export class LiveRun {
  private state: RunStatus['state'] = 'running';
  private message: string | undefined;
  private timer: NodeJS.Immediate | null = null;
  private reader: TraceReader | null = null;
  private events = 0;
  readonly timeline: Timeline;

  private constructor(
    readonly runId: number,
    private readonly sim: Simulation,
    private readonly recorder: TraceRecorder,
    readonly traceFile: string,
    private readonly durationNs: number,
    private readonly push: LiveRunOptions['push'],
  ) {
    sim.on((ev) => {
      recorder.event(ev);
      this.events++;
    });
    // The reader reopens when the run finishes, so the timeline asks for the current one each time.
    const live = (): TraceReader => this.currentReader();
    const growing: TraceReaderLike = {
      get info() {
        return sim.info;
      },
      get duration() {
        return live().duration;
      },
      get eventCount() {
        return live().eventCount;
      },
      get recovery() {
        return live().recovery;
      },
      // At the instant the run has reached (paused, stopped, finished), globals come from the
      // runtime itself: the trace has them only as of its last keyframe.
      stateAt: (t) => {
        const s = live().stateAt(t);
        if (t >= sim.now) {
          s.globals = sim.runtime.globalValues();
          s.maps = sim.runtime.mapContents();
          const arenas = sim.runtime.arenaContents();
          if (arenas.length > 0) s.arenas = arenas;
          delete s.globalsAt;
        }
        return s;
      },
      events: (t0, t1, f) => live().events(t0, t1, f),
      runSlices: (t0, t1, n) => live().runSlices(t0, t1, n),
      chunks: () => live().chunks(),
      keyframe: (ci) => live().keyframe(ci),
      close: () => this.reader?.close(),
    };
    this.timeline = readerTimeline(growing);
  }

  get info(): RunInfo {
    return this.sim.info;
  }

  static start(opts: LiveRunOptions): LiveRun {
    const p = opts.params;
    let sim: Simulation;
    try {
      sim = new Simulation({
        objectBytes: opts.objectBytes,
        file: opts.objectFile,
        workload: workloadOf(p.workload, opts.assetsDir),
        cpus: p.cpus,
        seed: p.seed,
        engine: p.engine,
        // the one --set parser: typed by BTF, arrays and struct members too
        globalSets: globalSetsFromRecord(p.sets),
        // the setup module the local user uploaded: it runs in this engine (docs/userspace.md)
        ...(p.setup ? { setup: compileSetupModule(Buffer.from(p.setup.dataBase64, 'base64').toString('utf8'), p.setup.name) } : {}),
      });
    } catch (e) {
      if (e instanceof SessionFailure) throw e;
      if (e instanceof SetupError) fail({ code: 'run_failed', message: `the setup module failed: ${e.message}`, file: p.setup?.name ?? opts.objectFile });
      fail({ code: 'run_failed', message: `cannot start the run: ${(e as Error).message}`, file: opts.objectFile });
    }
    const traceFile = join(createRunDir(), `run-${opts.runId}.scxtrace`);
    // the header carries the program/map/line tables, so the timeline labels events and shows source
    const recorder = new TraceRecorder(traceFile, sim.info, { snapshot: () => sim.snapshot(), chunkEvents: LIVE_CHUNK_EVENTS, labels: objectLabels(sim.object) });
    const run = new LiveRun(opts.runId, sim, recorder, traceFile, p.durationNs, opts.push);
    run.step(); // the first step synchronously: the timeline has a chunk before start() returns
    run.schedule();
    return run;
  }

  isActive(): boolean {
    return this.state === 'running' || this.state === 'paused';
  }

  status(): RunStatus {
    return {
      state: this.state,
      runId: this.runId,
      tNs: Math.min(this.sim.now, this.durationNs),
      durationNs: this.durationNs,
      traceFile: this.traceFile,
      ...(this.message ? { message: this.message } : {}),
    };
  }

  pause(): RunStatus {
    if (this.state !== 'running') fail({ code: 'run_state', message: `cannot pause: the run is ${this.state}` });
    this.cancel();
    this.state = 'paused';
    return this.announce();
  }

  resume(): RunStatus {
    if (this.state !== 'paused') fail({ code: 'run_state', message: `cannot resume: the run is ${this.state}` });
    this.state = 'running';
    this.schedule();
    return this.announce();
  }

  stop(): RunStatus {
    if (!this.isActive()) return this.status();
    this.finish('stopped');
    return this.status();
  }

  /** The session lets go of this run: stop it and delete its temp trace (a saved copy lives elsewhere). */
  discard(): void {
    if (this.isActive()) this.finish('stopped');
    this.reader?.close();
    this.reader = null;
    removeRunDir(this.traceFile);
  }

  private currentReader(): TraceReader {
    if (!this.reader) this.reader = TraceReader.open(this.traceFile);
    else this.reader.refresh();
    return this.reader;
  }

  private schedule(): void {
    if (this.state !== 'running' || this.timer) return;
    this.timer = setImmediate(() => {
      this.timer = null;
      if (this.state !== 'running') return;
      this.step();
      this.schedule();
    });
  }

  private cancel(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = null;
  }

  private step(): void {
    try {
      // Bounded in simulated time and in wall time, so requests (and the UI) are served between steps.
      const deadline = performance.now() + STEP_WALL_MS;
      let n = 0;
      this.sim.runUntil(Math.min(this.durationNs, this.sim.now + stepNs(this.durationNs)), () => (++n & 63) === 0 && performance.now() > deadline);
      this.recorder.flush();
    } catch (e) {
      this.message = `the simulation failed at t=${this.sim.now} ns: ${(e as Error).message}`;
      this.push('error', { code: 'run_failed', message: this.message });
      this.finish('failed');
      return;
    }
    this.push('progress', { runId: this.runId, tNs: Math.min(this.sim.now, this.durationNs), durationNs: this.durationNs, eventCount: this.events });
    if (this.sim.ejected) {
      this.message = 'the scheduler was ejected; see the exit event';
      this.finish('finished');
    } else if (this.sim.now >= this.durationNs) {
      this.finish('finished');
    }
  }

  private finish(state: 'finished' | 'stopped' | 'failed'): void {
    this.cancel();
    this.state = state;
    try {
      // Unregister the scheduler as `scxray run` does at the end (ops.exit with
      // SCX_EXIT_UNREG): that ends the slices still running, so the recorded
      // timeline reaches the end of the run instead of the last switch.
      if (state !== 'failed' && !this.sim.ejected) this.sim.unload();
    } catch (e) {
      this.message ??= `the scheduler could not be unloaded: ${(e as Error).message}`;
    }
    try {
      this.recorder.close();
    } catch (e) {
      this.message ??= `the trace could not be finished: ${(e as Error).message}`;
    }
    // Reopen so the reader sees the footer of the now complete file.
    this.reader?.close();
    this.reader = null;
    this.announce();
  }

  private announce(): RunStatus {
    const s = this.status();
    this.push('runState', s);
    return s;
  }
}

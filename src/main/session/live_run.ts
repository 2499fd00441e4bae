// A run in progress: the simulation advancing in steps off the request path,
// recording to a temp trace that the timeline queries read. Built on
// src/sim/simulation and src/sim/trace's recorder once they land; until then
// start() answers with a typed 'unavailable' error.

import type { RunInfo } from '../../sim/events';
import type { PushChannel, PushPayload, RunStatus, StartRunParams } from './contract';
import type { LoadedObject } from '../../sched_ext/loader/object';
import type { Timeline } from './timeline';
import { importEngine } from './engine_modules';

export interface LiveRunOptions {
  runId: number;
  object: LoadedObject;
  objectBytes: Uint8Array;
  assetsDir: string;
  params: Required<Pick<StartRunParams, 'engine' | 'sets'>> & Omit<StartRunParams, 'engine' | 'sets'>;
  push: <C extends PushChannel>(channel: C, payload: PushPayload<C>) => void;
}

export const SIMULATION_MODULE = 'sim/simulation';
export const RECORDER_MODULE = 'sim/trace/recorder';

export class LiveRun {
  private state: RunStatus['state'] = 'running';

  private constructor(
    readonly runId: number,
    readonly info: RunInfo,
    readonly traceFile: string,
    readonly timeline: Timeline,
    private readonly durationNs: number,
  ) {}

  static async start(opts: LiveRunOptions): Promise<LiveRun> {
    await importEngine('the simulator', SIMULATION_MODULE);
    await importEngine('the trace recorder', RECORDER_MODULE);
    throw new Error(`run ${opts.runId}: the simulator landed but the session does not drive it yet`);
  }

  isActive(): boolean {
    return this.state === 'running' || this.state === 'paused';
  }

  status(): RunStatus {
    return { state: this.state, runId: this.runId, tNs: 0, durationNs: this.durationNs, traceFile: this.traceFile };
  }

  pause(): RunStatus {
    return this.status();
  }

  resume(): RunStatus {
    return this.status();
  }

  stop(): RunStatus {
    this.state = 'stopped';
    return this.status();
  }
}

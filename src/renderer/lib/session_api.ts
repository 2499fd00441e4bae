// The one interface the UI talks to. session_client.ts adapts whichever
// transport the page runs under (Electron preload or the browser host's
// WebSocket) to it. Only types cross into the renderer from src/sim.
import type { RunInfo, SimEvent, SimEventKind, SimSnapshot } from '../../sim/events';

/** Run slices for a window, columnar (Perfetto-style): slice i ran pid[i] on cpu[i] from start[i] to end[i]. */
export interface SliceBatch {
  t0: number;
  t1: number;
  nsPerPx: number;
  count: number;
  cpu: Uint16Array;
  pid: Int32Array;
  start: Float64Array;
  end: Float64Array;
}

export interface SchedulerOp {
  name: string;
  program: string;
}

export interface SchedulerMap {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
}

export interface SchedulerGlobal {
  name: string;
  section: string;
  value: string;
}

/** What the left panel shows about a loaded scheduler object. */
export interface SchedulerInfo {
  name: string;
  file: string;
  ops: SchedulerOp[];
  maps: SchedulerMap[];
  globals: SchedulerGlobal[];
  kfuncs: string[];
}

export interface ExampleScheduler {
  id: string;
  name: string;
  description: string;
}

export interface RunOptions {
  workload: string;
  cpus: number;
  seed: number;
  durationNs?: number;
}

export type RunStatus = 'idle' | 'running' | 'paused' | 'done' | 'error';

export interface RunState {
  status: RunStatus;
  /** Simulated time reached so far (ns). */
  t: number;
  info?: RunInfo;
}

export interface TraceSummary {
  file: string;
  info: RunInfo;
  t0: number;
  t1: number;
  cpus: number;
  scheduler?: SchedulerInfo;
}

/** A file picked in the page: the bytes travel to the host (browser) or the path does (Electron). */
export interface PickedFile {
  name: string;
  bytes?: Uint8Array;
  path?: string;
}

export interface SessionError {
  /** File the error is about, when there is one. */
  file?: string;
  message: string;
}

export interface EventQuery {
  t0: number;
  t1: number;
  kinds?: SimEventKind[];
  limit?: number;
}

export interface SessionApi {
  readonly transport: 'electron' | 'websocket';
  listExamples(): Promise<ExampleScheduler[]>;
  /** Native dialog in Electron; null when the user cancelled. */
  pickFile?(kind: 'object' | 'trace'): Promise<PickedFile | null>;
  openObject(file: PickedFile): Promise<SchedulerInfo>;
  openExample(id: string): Promise<SchedulerInfo>;
  openTrace(file: PickedFile): Promise<TraceSummary>;
  listWorkloads(): Promise<string[]>;
  startRun(opts: RunOptions): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
  slices(q: { t0: number; t1: number; nsPerPx: number }): Promise<SliceBatch>;
  stateAt(t: number): Promise<SimSnapshot>;
  events(q: EventQuery): Promise<SimEvent[]>;
  onRunState(handler: (s: RunState) => void): () => void;
  onError(handler: (e: SessionError) => void): () => void;
}

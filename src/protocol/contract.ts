// The session API: the one list of requests and pushes that the renderer
// speaks, identical over Electron IPC (preload -> window.scxray) and over the
// browser host's WebSocket. Every message is validated here, at the boundary,
// by the side that receives it; types are derived from the schemas so the two
// transports cannot drift apart.
//
// Renderer usage (the renderer imports src/protocol only; docs/architecture.md "Layers"):
//   import type { ScxrayApi } from '../../protocol/contract';
//   const r = await window.scxray.request('openObject', { example: 'scx_simple' });
//   if (r.ok) show(r.result); else banner(r.error.message);
//   const off = window.scxray.on('runState', (s) => ...);

import { z } from 'zod';
import { MAX_CPUS } from '../base/limits';
import type { RunInfo, SimEvent, SimSnapshot } from '../model/events';
import { debugMethods } from './debug_contract';
import { ImportedSchedTrace } from './sched_import';
import { ChangeTracksParams, ChangeTracksSchema } from './change_tracks';
import { FlowsParams, FlowsSchema } from './flows';
import { SchedMarksParams, SchedMarksSchema } from './sched_marks';
import { LineCountsParams, LineCountsSchema } from './line_counts';
import { RangeSummaryParams, RangeSummarySchema } from './range_summary';

// ---------------------------------------------------------------- errors

/** Why a request failed. Loader failures carry the loader's LoadErrorCode. */
export const SessionErrorCode = z.enum([
  'invalid_request', // a message or field did not match this contract
  'unknown_method',
  'unavailable', // the engine part behind this method has not landed in this build
  'not_found', // a file or example that does not exist
  'forbidden', // a path the host will not open (Electron: not chosen by the user)
  'io', // reading or writing a file failed
  'no_object', // a run needs an opened scheduler object
  'no_timeline', // slices/stateAt/events need a live run or an opened trace
  'run_state', // pause/resume/stop in a state that does not allow it
  'load_failed', // the loader refused the object; see loaderCode
  'trace_bad', // the trace reader refused the file
  'run_failed',
  'internal',
]);
export type SessionErrorCode = z.infer<typeof SessionErrorCode>;

export const SessionError = z.object({
  code: SessionErrorCode,
  /** One sentence for people: what went wrong, where, and what to do. */
  message: z.string(),
  /** The file concerned (basename for uploads), when there is one. */
  file: z.string().optional(),
  /** Where inside it: "section .BTF, offset 12", "params.cpus", ... */
  where: z.string().optional(),
  /** The loader's LoadErrorCode when code is 'load_failed' ("elf_bad_header", ...). */
  loaderCode: z.string().optional(),
});
export type SessionError = z.infer<typeof SessionError>;

// ---------------------------------------------------------------- inputs

const MAX_UPLOAD_BASE64 = 96 * 1024 * 1024;

/** A file to open: a path on the host's disk, an upload, or a bundled example by name. */
export const FileRef = z.union([
  /** `name` is accepted and ignored (the host names the file after the path's basename). */
  z.object({ path: z.string().min(1), name: z.string().optional() }).strict(),
  z.object({ name: z.string().min(1).max(255), dataBase64: z.string().max(MAX_UPLOAD_BASE64) }).strict(),
  z.object({ example: z.string().min(1).max(255) }).strict(),
]);
export type FileRef = z.infer<typeof FileRef>;

export const WorkloadRef = z.union([
  /** Shorthand for { preset }. */
  z.string().min(1).transform((preset) => ({ preset })),
  /** A preset: the name of a file in assets/workloads without ".json". */
  z.object({ preset: z.string().min(1) }).strict(),
  /** A workload description as JSON text (the format of assets/workloads/*.json). */
  z.object({ json: z.string().min(2).max(4 * 1024 * 1024) }).strict(),
]);
export type WorkloadRef = z.infer<typeof WorkloadRef>;

export const StartRunParams = z
  .object({
    workload: WorkloadRef,
    cpus: z.number().int().min(1).max(MAX_CPUS),
    seed: z.number().int().min(0).max(2 ** 32 - 1),
    durationNs: z.number().int().positive().max(3600e9).default(1_000_000_000),
    engine: z.enum(['jit', 'interp']).default('jit'),
    /** Global variables to set before load, like `scxray run --set name=value` (rodata knobs). */
    sets: z.record(z.string(), z.string()).default({}),
    /**
     * The scheduler's userspace half (docs/userspace.md): a setup module the
     * local user picked, uploaded like an object. It runs code in the engine.
     */
    setup: z.object({ name: z.string().min(1).max(255), dataBase64: z.string().max(4 * 1024 * 1024) }).strict().optional(),
  })
  .strict();
export type StartRunParams = z.input<typeof StartRunParams>;

const TimeNs = z.number().finite().min(0);

export const SlicesParams = z
  .object({ t0: TimeNs, t1: TimeNs, nsPerPx: z.number().finite().positive() })
  .strict()
  .refine((p) => p.t1 >= p.t0, { message: 't1 must be >= t0', path: ['t1'] });

export const EventsParams = z
  .object({
    t0: TimeNs,
    t1: TimeNs,
    kinds: z.array(z.string()).optional(),
    limit: z.number().int().min(1).max(100_000).default(1000),
  })
  .strict()
  .refine((p) => p.t1 >= p.t0, { message: 't1 must be >= t0', path: ['t1'] });

const Empty = z.object({}).strict();

// ---------------------------------------------------------------- outputs

export const HostInfo = z.object({
  host: z.enum(['electron', 'browser']),
  version: z.string(),
  /** True where chooseFile opens a native dialog (Electron); the browser uses an upload instead. */
  nativeDialogs: z.boolean(),
});
export type HostInfo = z.infer<typeof HostInfo>;

export const ExampleList = z.object({
  schedulers: z.array(z.object({ name: z.string(), file: z.string(), hasSource: z.boolean() })),
  workloads: z.array(z.object({ name: z.string(), file: z.string(), description: z.string().optional() })),
  traces: z.array(z.object({ name: z.string(), file: z.string() })),
});
export type ExampleList = z.infer<typeof ExampleList>;

export const ObjectSummary = z.object({
  file: z.string(),
  sha256: z.string(),
  programs: z.array(
    z.object({
      name: z.string(),
      section: z.string(),
      kind: z.string(),
      runnable: z.boolean(),
      refusal: z.string().optional(),
      insnCount: z.number(),
      sourceFile: z.string().optional(),
    }),
  ),
  maps: z.array(
    z.object({
      name: z.string(),
      /** As bpftool names it: "hash", "array", "struct_ops", ..., or "type_N" when unknown. */
      type: z.string(),
      origin: z.enum(['btf', 'global', 'struct_ops']),
      section: z.string(),
      keySize: z.number(),
      valueSize: z.number(),
      maxEntries: z.number(),
    }),
  ),
  structOps: z.array(
    z.object({
      name: z.string(),
      opsName: z.string(),
      kernelType: z.string(),
      section: z.string(),
      /** Implemented ops in kernel member order as found: op -> program. */
      ops: z.array(z.object({ op: z.string(), program: z.string() })),
      /** Scalar members (flags, timeout_ms, ...) in decimal. */
      scalars: z.record(z.string(), z.string()),
    }),
  ),
  globals: z.array(
    z.object({
      name: z.string(),
      section: z.string(),
      typeName: z.string(),
      size: z.number(),
      readonly: z.boolean(),
      /** Initial value: decimal for 1/2/4/8-byte scalars, else hex bytes (first 64). */
      initial: z.string().optional(),
      /** For an array or struct: its settable leaves ("pair_cpu[0]", "cfg.slice_ns"), the first 64, as --set paths. */
      fields: z.array(z.object({ path: z.string(), typeName: z.string(), initial: z.string().optional() })).optional(),
    }),
  ),
  kfuncs: z.array(z.object({ name: z.string(), kernelName: z.string(), weak: z.boolean(), resolved: z.boolean() })),
  warnings: z.array(z.string()),
});
export type ObjectSummary = z.infer<typeof ObjectSummary>;

const RunInfoSchema = z.custom<RunInfo>(
  (v) => typeof v === 'object' && v !== null && typeof (v as RunInfo).scheduler === 'string',
  { message: 'expected RunInfo' },
);

export const TraceSummary = z.object({
  file: z.string(),
  info: RunInfoSchema,
  durationNs: z.number(),
  eventCount: z.number(),
  /** Events per SimEvent kind. */
  counts: z.record(z.string(), z.number()),
  /** The file ended mid-write; it replays up to its last whole chunk. */
  truncated: z.boolean(),
});
export type TraceSummary = z.infer<typeof TraceSummary>;

export const RunStatus = z.object({
  state: z.enum(['idle', 'running', 'paused', 'finished', 'failed', 'stopped']),
  runId: z.number().optional(),
  /** Simulated time reached and the run's end, in ns. */
  tNs: z.number(),
  durationNs: z.number(),
  /** The trace being recorded (temp file); openable with openTrace after the run. */
  traceFile: z.string().optional(),
  message: z.string().optional(),
});
export type RunStatus = z.infer<typeof RunStatus>;

export const SaveTraceParams = z.object({ path: z.string().min(1).max(4096).optional() }).strict();
export const SaveTraceResult = z.object({
  canceled: z.boolean(),
  /** Where the copy was written. */
  path: z.string().optional(),
  /** Browser host: fetch this (same origin) to download the trace. */
  downloadUrl: z.string().optional(),
  bytes: z.number().optional(),
});
export type SaveTraceResult = z.infer<typeof SaveTraceResult>;

export const StartRunResult = z.object({ runId: z.number(), info: RunInfoSchema, traceFile: z.string() });
export type StartRunResult = z.infer<typeof StartRunResult>;

/**
 * Run slices for a time window, columnar (one entry per index across the
 * arrays), at a level of detail of about one slice per pixel: consecutive
 * runs shorter than nsPerPx on a CPU are merged and `merged` counts them
 * (pid is then the pid that ran longest in the merged span).
 */
export interface RunSlices {
  t0: number;
  t1: number;
  nsPerPx: number;
  cpu: Int32Array;
  pid: Int32Array;
  start: Float64Array;
  end: Float64Array;
  merged: Uint32Array;
}

const isTyped = (ctor: { new (...a: never[]): unknown }) => z.custom((v) => v instanceof ctor);
export const RunSlicesSchema = z.object({
  t0: z.number(),
  t1: z.number(),
  nsPerPx: z.number(),
  cpu: isTyped(Int32Array),
  pid: isTyped(Int32Array),
  start: isTyped(Float64Array),
  end: isTyped(Float64Array),
  merged: isTyped(Uint32Array),
}) as unknown as z.ZodType<RunSlices>;

const SnapshotSchema = z.custom<SimSnapshot>(
  (v) => typeof v === 'object' && v !== null && Array.isArray((v as SimSnapshot).cpus),
  { message: 'expected SimSnapshot' },
);
const EventSchema = z.custom<SimEvent>(
  (v) => typeof v === 'object' && v !== null && typeof (v as SimEvent).kind === 'string',
  { message: 'expected SimEvent' },
);

export const EventsResult = z.object({
  events: z.array(EventSchema),
  /** More events matched than `limit`. */
  truncated: z.boolean(),
});
export type EventsResult = z.infer<typeof EventsResult>;

// ---------------------------------------------------------------- the list

/** Every request the renderer can make: params schema and result schema. */
export const methods = {
  hostInfo: { params: Empty, result: HostInfo },
  listExamples: { params: Empty, result: ExampleList },
  openObject: { params: FileRef, result: ObjectSummary },
  openTrace: { params: FileRef, result: TraceSummary },
  /** Native open dialog (Electron only); the chosen file is opened and pushed as objectOpened/traceOpened. */
  chooseFile: { params: z.object({ kind: z.enum(['object', 'trace']) }).strict(), result: z.object({ canceled: z.boolean() }) },
  startRun: { params: StartRunParams, result: StartRunResult },
  pause: { params: Empty, result: RunStatus },
  resume: { params: Empty, result: RunStatus },
  stop: { params: Empty, result: RunStatus },
  runStatus: { params: Empty, result: RunStatus },
  /**
   * "Save trace as…": keep the last run's trace (its temp file is deleted when the session lets go of it).
   * With `path`, copied there (a path this host may write); else Electron asks with a save dialog and the
   * browser host answers a one-time `downloadUrl` on itself.
   */
  saveTrace: { params: SaveTraceParams, result: SaveTraceResult },
  slices: { params: SlicesParams, result: RunSlicesSchema },
  stateAt: { params: z.object({ t: TimeNs }).strict(), result: SnapshotSchema },
  events: { params: EventsParams, result: EventsResult },
  /** Object lifetimes, kptr slot contents and counter series over a window (protocol/change_tracks.ts). */
  changeTracks: { params: ChangeTracksParams, result: ChangeTracksSchema },
  /** A task's wakeup → enqueue → dispatch → run chains, or an object's changes of owner, over a window (protocol/flows.ts). */
  flows: { params: FlowsParams, result: FlowsSchema },
  /** Kicks and preemptions over a window, for the timeline's markers (protocol/sched_marks.ts). */
  schedMarks: { params: SchedMarksParams, result: SchedMarksSchema },
  /** Per source line, the ownership events it caused over a window, and op calls per op (protocol/line_counts.ts). */
  lineCounts: { params: LineCountsParams, result: LineCountsSchema },
  /** A selected range's figures: per task, op, source line and DSQ; what `scxray replay --summary` prints (protocol/range_summary.ts). */
  rangeSummary: { params: RangeSummaryParams, result: RangeSummarySchema },
  /** A scheduling trace from a real machine (perf / ftrace / Perfetto JSON) as a workload, with the original's slices (protocol/sched_import.ts). */
  importSchedTrace: { params: FileRef, result: ImportedSchedTrace },
  /** The debugger (debug_contract.ts): breakpoints, stepping, reverse steps, expressions, Debug this call, source. */
  ...debugMethods(StartRunParams),
} as const;

export const Progress = z.object({ runId: z.number(), tNs: z.number(), durationNs: z.number(), eventCount: z.number() });
export type Progress = z.infer<typeof Progress>;

/** Messages the host sends without a request. */
export const pushes = {
  progress: Progress,
  runState: RunStatus,
  error: SessionError,
  /** An object was opened by the host itself (menu, native dialog). */
  objectOpened: ObjectSummary,
  traceOpened: TraceSummary,
} as const;

export type MethodName = keyof typeof methods;
export type PushChannel = keyof typeof pushes;
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type MethodParamsParsed<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type MethodResult<M extends MethodName> = z.output<(typeof methods)[M]['result']>;
export type PushPayload<C extends PushChannel> = z.output<(typeof pushes)[C]>;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];
export const PUSH_CHANNELS = Object.keys(pushes) as PushChannel[];

export type Result<T> = { ok: true; result: T } | { ok: false; error: SessionError };

/** What the renderer sees as `window.scxray`, in Electron and in the browser alike. */
export interface ScxrayApi {
  request<M extends MethodName>(method: M, params: MethodParams<M>): Promise<Result<MethodResult<M>>>;
  /**
   * The same call, rejecting on failure with an Error whose message names the
   * file and field (Electron's contextBridge keeps only the message of a
   * rejected Error, so prefer `request` when the code or `where` matters).
   */
  call<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>>;
  /** Subscribe to a push channel; returns the unsubscribe function. */
  on<C extends PushChannel>(channel: C, listener: (payload: PushPayload<C>) => void): () => void;
}

/** Electron IPC channel names (the preload and main use only these). */
export { IPC_PUSH, IPC_REQUEST } from './channels';

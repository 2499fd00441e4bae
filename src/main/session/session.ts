// One debugging session: the opened scheduler object, the live run or the
// opened trace, and the timeline queries over whichever is current. Both
// hosts (Electron IPC, browser WebSocket) feed raw messages to `handle`,
// which validates them against the contract, dispatches, and validates the
// answer; pushes go to whoever subscribed with `onPush`.

import { SCXRAY_VERSION } from '../../base/version';
import type {
  FileRef,
  MethodName,
  MethodParamsParsed,
  MethodResult,
  PushChannel,
  PushPayload,
  Result,
  RunStatus,
  SessionError,
} from '../../protocol/contract';
import { LoadError, openObject } from '../../sched_ext/loader/index';
import { createKernelEnv } from '../../sim/kernel/kernel_env';
import { TraceError } from '../../sim/trace/errors';
import { defaultAssetsDir, listExamples, resolveExample } from './examples';
import { fail, locateFileRef, readFileRef, SessionFailure, type FileBytes, type FileRefOptions } from './file_source';
import { summarizeObject } from './object_summary';
import { checkPush, checkRequest, checkResult } from '../../protocol/validate';
import type { LoadedObject } from '../../sched_ext/loader/object';
import type { Timeline } from './timeline';
import { openTraceTimeline } from './timeline';
import { changeTracks } from './change_tracks';
import { flows } from './flows';
import { schedMarks } from './sched_marks';
import { lineCounts } from './line_counts';
import { rangeSummary } from './range_summary';
import { LiveRun, workloadOf } from './live_run';
import { AnswerMemo } from './answer_memo';
import { QueryPacer } from './query_pacer';
import { saveRunTrace, type SaveTraceHooks } from './save_trace';
import { importSchedTrace } from './sched_import';
import { DebugSession, type DebugRunConfig } from './debug_session';
import type { RunInfo } from '../../model/events';

export interface SessionOptions {
  host: 'electron' | 'browser';
  assetsDir?: string;
  /** Which absolute paths `{ path }` requests may open (default: any). */
  allowPath?: (path: string) => boolean;
  /** Native open dialog (Electron): resolves to the chosen path or null. */
  chooseFile?: (kind: 'object' | 'trace') => Promise<string | null>;
  /** "Save trace as…" (save_trace.ts): Electron's save dialog, or the browser host's download URL. */
  chooseSavePath?: SaveTraceHooks['chooseSavePath'];
  offerDownload?: SaveTraceHooks['offerDownload'];
}

export type PushListener = <C extends PushChannel>(channel: C, payload: PushPayload<C>) => void;

type Handlers = { [M in MethodName]: (p: MethodParamsParsed<M>) => Promise<MethodResult<M>> | MethodResult<M> };


export class Session {
  readonly assetsDir: string;
  private readonly listeners = new Set<PushListener>();
  private object: { loaded: LoadedObject; file: FileBytes } | null = null;
  private timeline: Timeline | null = null;
  private run: LiveRun | null = null;
  /** Runs replaced by an open of their own trace file: discarded with the session. */
  private readonly retiredRuns: LiveRun[] = [];
  private nextRunId = 1;
  private readonly debug: DebugSession;
  /** What the debugger re-runs for "Debug this call": the last live run's parameters or the opened trace's. */
  private lastRun: DebugRunConfig | null = null;
  private traceInfo: RunInfo | null = null;
  /** Costly queries' last answers over an opened trace (answer_memo.ts). */
  private readonly memo = new AnswerMemo();
  /** Whole-window queries take at most this share of the thread while a run is running. */
  private readonly pacer = new QueryPacer(0.2);

  constructor(private readonly opts: SessionOptions) {
    this.assetsDir = opts.assetsDir ?? defaultAssetsDir();
    this.debug = new DebugSession(() => this.object, this.assetsDir);
  }

  onPush(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Send a validated push; an invalid payload is a host bug and goes out as an 'error' push instead. */
  push<C extends PushChannel>(channel: C, payload: PushPayload<C>): void {
    const checked = checkPush(channel, payload);
    for (const l of this.listeners) {
      if (checked.ok) l(channel, checked.value);
      else l('error', { ...checked.error, code: 'internal' });
    }
  }

  /** Validate and run one request from a renderer. Never throws. */
  async handle(raw: unknown): Promise<Result<unknown>> {
    const req = checkRequest(raw);
    if (!req.ok) return { ok: false, error: req.error };
    const { method, params } = req.value;
    try {
      const handler = this.handlers[method] as (p: unknown) => Promise<unknown> | unknown;
      const value = await handler(params);
      const out = checkResult(method, value);
      return out.ok ? { ok: true, result: out.value } : { ok: false, error: out.error };
    } catch (e) {
      return { ok: false, error: toSessionError(e, method) };
    }
  }

  /** Open a file on behalf of the host (menu, dialog) and push the outcome. */
  async openFromHost(kind: 'object' | 'trace', path: string): Promise<void> {
    try {
      if (kind === 'object') this.push('objectOpened', await this.openObject({ path }, true));
      else this.push('traceOpened', await this.openTrace({ path }, true));
    } catch (e) {
      this.push('error', toSessionError(e, kind === 'object' ? 'openObject' : 'openTrace'));
    }
  }

  dispose(): void {
    // the live runs' temp traces go with the session ("Save trace as…" keeps a copy)
    this.run?.discard();
    this.run = null;
    for (const r of this.retiredRuns) r.discard();
    this.retiredRuns.length = 0;
    this.timeline?.close();
    this.timeline = null;
    this.listeners.clear();
  }

  private readonly handlers: Handlers = {
    hostInfo: () => ({ host: this.opts.host, version: SCXRAY_VERSION, nativeDialogs: this.opts.chooseFile !== undefined }),
    listExamples: () => listExamples(this.assetsDir),
    openObject: (p) => this.openObject(p, false),
    openTrace: (p) => this.openTrace(p, false),
    importSchedTrace: async (p) => importSchedTrace(await this.readFile(p, 'trace', false)),
    chooseFile: async ({ kind }) => {
      if (!this.opts.chooseFile) {
        fail({ code: 'unavailable', message: 'this host has no native file dialog; upload the file instead' });
      }
      const path = await this.opts.chooseFile(kind);
      if (path === null) return { canceled: true };
      void this.openFromHost(kind, path);
      return { canceled: false };
    },
    startRun: async (p) => {
      if (!this.object) fail({ code: 'no_object', message: 'open a scheduler object (*.bpf.o) before starting a run' });
      if (this.run?.isActive()) fail({ code: 'run_state', message: 'a run is already in progress; stop it first' });
      const run = LiveRun.start({
        runId: this.nextRunId++,
        objectBytes: this.object.file.bytes,
        objectFile: this.object.file.name,
        assetsDir: this.assetsDir,
        params: p,
        push: (c, x) => this.push(c, x),
      });
      this.run?.discard();
      this.run = run;
      this.lastRun = this.debugConfig(p);
      this.traceInfo = null;
      this.replaceTimeline(run.timeline);
      return { runId: run.runId, info: run.info, traceFile: run.traceFile };
    },
    pause: () => this.requireRun().pause(),
    resume: () => this.requireRun().resume(),
    stop: () => this.requireRun().stop(),
    saveTrace: (p) => saveRunTrace(this.run, p, { ...this.opts, allowPath: (path) => this.opts.allowPath?.(path) ?? true }),
    runStatus: (): RunStatus => this.run?.status() ?? { state: 'idle', tNs: 0, durationNs: 0 },
    slices: (p) => this.requireTimeline().runSlices(p.t0, p.t1, p.nsPerPx),
    stateAt: (p) => this.requireTimeline().stateAt(p.t),
    // a kind-filtered scan reads the whole window: after the index (then it skips chunks without those kinds)
    events: async (p) => (p.kinds?.length ? await this.indexedTimeline() : this.requireTimeline()).events(p.t0, p.t1, p.kinds, p.limit),
    changeTracks: (p) => this.windowQuery('changeTracks', p, (tl) => changeTracks(tl, p.t0, p.t1, p.pid, p.globals)),
    flows: (p) => this.windowQuery('flows', p, (tl) => flows(tl, p)),
    schedMarks: (p) => this.windowQuery('schedMarks', p, (tl) => schedMarks(tl, p.t0, p.t1, p.limit)),
    lineCounts: (p) => this.windowQuery('lineCounts', p, (tl) => lineCounts(tl, p.t0, p.t1)),
    rangeSummary: (p) => this.windowQuery('rangeSummary', p, (tl) => rangeSummary(tl, p.t0, p.t1)),
    debugSetBreakpoints: (p) => this.debug.setBreakpoints(p.breakpoints, p.breakOn),
    debugStart: (p) => this.debug.start(this.debugConfig(p.run), p.watches),
    debugResume: (p) => this.debug.resume(p.mode, p.watches),
    debugReverse: (p) => this.debug.reverse(p.mode, p.watches),
    debugEval: (p) => this.debug.eval(p.expr, p.depth),
    debugCall: (p) => {
      const info = this.traceInfo;
      const config = p.run ? this.debugConfig(p.run) : this.lastRun ?? (info ? { workload: info.workload, cpus: info.machine, seed: info.seed, engine: 'jit' as const, sets: {}, durationNs: p.t + 1, kernelVersion: info.kernelVersion } : null);
      if (!config) fail({ code: 'no_timeline', message: 'Debug this call needs the run it came from: start a run or open a recorded trace' });
      return this.debug.call({ t: p.t, op: p.op, cpu: p.cpu, pid: p.pid, nth: p.nth }, { ...config, durationNs: Math.max(config.durationNs, p.t + 1) }, p.watches, info?.objectSha256);
    },
    debugSource: () => this.debug.source(),
  };

  private debugConfig(p: MethodParamsParsed<'startRun'>): DebugRunConfig {
    return { workload: workloadOf(p.workload, this.assetsDir), cpus: p.cpus, seed: p.seed, engine: p.engine, sets: p.sets, durationNs: p.durationNs };
  }

  private requireRun(): LiveRun {
    if (!this.run) fail({ code: 'run_state', message: 'no run has been started; open an object and start a run first' });
    return this.run;
  }

  private requireTimeline(): Timeline {
    if (!this.timeline) {
      fail({ code: 'no_timeline', message: 'nothing to show yet: start a run or open a recorded timeline (*.scxtrace)' });
    }
    return this.timeline;
  }

  /**
   * A query that reads a whole window of events: over an opened trace after its index and kept for the
   * same question (answer_memo.ts); while a run is running, paced so it leaves the simulation most of
   * the thread (query_pacer.ts).
   */
  private async windowQuery<T>(method: string, params: unknown, fn: (tl: Timeline) => T): Promise<T> {
    await this.indexedTimeline();
    return this.pacer.run(
      () => this.run?.status().state === 'running',
      () => this.memo.answer(method, this.requireTimeline(), params, fn),
    );
  }

  /** The timeline once an opened trace is indexed (the current one then, should another have been opened meanwhile). */
  private async indexedTimeline(): Promise<Timeline> {
    await this.requireTimeline().indexed?.();
    return this.requireTimeline();
  }

  private replaceTimeline(t: Timeline): void {
    if (this.timeline !== t) {
      this.timeline?.close();
      this.memo.clear();
    }
    this.timeline = t;
  }

  private readFile(ref: FileRef, kind: 'object' | 'trace', fromHost: boolean): Promise<FileBytes> {
    return readFileRef(ref, this.fileRefOptions(kind, fromHost));
  }

  private fileRefOptions(kind: 'object' | 'trace', fromHost: boolean): FileRefOptions {
    return {
      resolveExample: (name) => resolveExample(this.assetsDir, name, kind),
      // the trace this session's own run reports is always openable (Electron refused its temp path)
      allowPath: (path) => fromHost || path === this.run?.traceFile || (this.opts.allowPath?.(path) ?? true),
    };
  }

  private async openObject(ref: FileRef, fromHost: boolean): Promise<MethodResult<'openObject'>> {
    const file = await this.readFile(ref, 'object', fromHost);
    checkElfMagic(file);
    let loaded: LoadedObject;
    try {
      loaded = openObject(file.bytes, { file: file.name, kernel: createKernelEnv() });
    } catch (e) {
      throw loadFailure(e, file.name);
    }
    this.object = { loaded, file };
    this.debug.reset();
    return summarizeObject(loaded);
  }

  private async openTrace(ref: FileRef, fromHost: boolean): Promise<MethodResult<'openTrace'>> {
    // located, not read: the reader fetches the index and then chunks on demand
    const file = await locateFileRef(ref, this.fileRefOptions('trace', fromHost));
    const { timeline, summary } = openTraceTimeline(file);
    // the run's trace goes unless it is the file just opened, which lives until the session ends
    if (this.run && this.run.traceFile === file.path) {
      this.run.stop();
      this.retiredRuns.push(this.run);
    } else {
      this.run?.discard();
    }
    this.run = null;
    this.traceInfo = summary.info;
    this.lastRun = null;
    this.replaceTimeline(timeline);
    return summary;
  }
}

/** A BPF object is an ELF file; say so plainly before the loader's detail. */
function checkElfMagic(file: FileBytes): void {
  const b = file.bytes;
  if (b.length < 4 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) {
    fail({
      code: 'load_failed',
      loaderCode: 'elf_bad_header',
      message: `${file.name}: not a BPF object (no ELF header); open a *.bpf.o built with clang -target bpf`,
      file: file.name,
      where: 'offset 0',
    });
  }
}

function loadFailure(e: unknown, file: string): Error {
  if (e instanceof SessionFailure) return e;
  if (e instanceof LoadError) {
    const w = e.where;
    const where = Object.entries(w)
      .filter(([k, v]) => k !== 'file' && v !== undefined)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ');
    const message = e.message.startsWith(file) ? e.message : `${file}: ${e.message}`;
    return new SessionFailure({ code: 'load_failed', loaderCode: e.code, message, file, ...(where ? { where } : {}) });
  }
  return new SessionFailure({ code: 'load_failed', message: `${file}: ${(e as Error)?.message ?? String(e)}`, file });
}

export function toSessionError(e: unknown, method: string): SessionError {
  if (e instanceof SessionFailure) return e.error;
  if (e instanceof TraceError) {
    return e.code === 'no_chunks'
      ? { code: 'no_timeline', message: `${method}: ${e.message}` }
      : { code: 'trace_bad', message: `${method}: ${e.message}`, where: e.code, ...(e.where.file ? { file: e.where.file } : {}) };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { code: 'internal', message: `${method} failed: ${err.message}` };
}

// The queries the renderer makes over time (slices, state at t, events),
// answered from a trace: a file opened by the user, or the file a live run
// is recording. Wraps the trace reader (src/sim/trace/reader) once it lands.

import type { SimEvent, SimSnapshot, RunInfo } from '../../sim/events';
import type { EventsResult, RunSlices, TraceSummary } from './contract';
import { EngineUnavailable, importEngine } from './engine_modules';
import { SessionFailure, type FileBytes } from './file_source';

export interface Timeline {
  durationNs(): number;
  runSlices(t0: number, t1: number, nsPerPx: number): RunSlices;
  stateAt(t: number): SimSnapshot;
  events(t0: number, t1: number, kinds: string[] | undefined, limit: number): EventsResult;
  close(): void;
}

/** What the session expects of src/sim/trace's reader. */
export interface TraceReaderLike {
  readonly info: RunInfo;
  readonly durationNs?: number;
  readonly truncated?: boolean;
  stateAt(t: number): SimSnapshot;
  events(t0: number, t1: number): Iterable<SimEvent>;
  runSlices(t0: number, t1: number, nsPerPx: number): Partial<RunSlices> & Record<string, unknown>;
  counts?(): Record<string, number>;
  close?(): void;
}

interface ReaderModule {
  TraceReader: { open?(bytes: Uint8Array, opts?: { file?: string }): TraceReaderLike; new (bytes: Uint8Array, opts?: { file?: string }): TraceReaderLike };
}

export const TRACE_READER_MODULE = 'sim/trace/reader';

function column<T extends Int32Array | Float64Array | Uint32Array>(
  Ctor: { new (n: number): T; from(a: ArrayLike<number>): T },
  v: unknown,
  n: number,
): T {
  if (v instanceof Ctor) return v;
  if (ArrayBuffer.isView(v) || Array.isArray(v)) return Ctor.from(v as ArrayLike<number>);
  return new Ctor(n);
}

/** Normalize whatever columnar shape the reader returns into the contract's RunSlices. */
export function toRunSlices(raw: Record<string, unknown>, t0: number, t1: number, nsPerPx: number): RunSlices {
  const start = column(Float64Array, raw.start ?? raw.starts, 0);
  const n = start.length;
  const merged = raw.merged ?? raw.count;
  return {
    t0,
    t1,
    nsPerPx,
    cpu: column(Int32Array, raw.cpu ?? raw.cpus, n),
    pid: column(Int32Array, raw.pid ?? raw.pids, n),
    start,
    end: column(Float64Array, raw.end ?? raw.ends, n),
    merged: merged === undefined ? new Uint32Array(n).fill(1) : column(Uint32Array, merged, n),
  };
}

export function readerTimeline(reader: TraceReaderLike, durationNs: () => number): Timeline {
  return {
    durationNs,
    runSlices: (t0, t1, nsPerPx) => toRunSlices(reader.runSlices(t0, t1, nsPerPx), t0, t1, nsPerPx),
    stateAt: (t) => reader.stateAt(t),
    events: (t0, t1, kinds, limit) => {
      const wanted = kinds && kinds.length > 0 ? new Set(kinds) : null;
      const out: SimEvent[] = [];
      for (const e of reader.events(t0, t1)) {
        if (wanted && !wanted.has(e.kind)) continue;
        if (out.length === limit) return { events: out, truncated: true };
        out.push(e);
      }
      return { events: out, truncated: false };
    },
    close: () => reader.close?.(),
  };
}

function traceFailure(e: unknown, file: string): Error {
  if (e instanceof EngineUnavailable || e instanceof SessionFailure) return e;
  const err = e as Error & { code?: unknown };
  if (err instanceof Error && err.name === 'TraceError') {
    const message = err.message.startsWith(file) ? err.message : `${file}: ${err.message}`;
    return new SessionFailure({ code: 'trace_bad', message, file, ...(typeof err.code === 'string' ? { where: err.code } : {}) });
  }
  return new SessionFailure({ code: 'trace_bad', message: `${file}: ${err instanceof Error ? err.message : String(e)}`, file });
}

export async function openTraceTimeline(file: FileBytes): Promise<{ timeline: Timeline; summary: TraceSummary }> {
  const mod = await importEngine<ReaderModule>('the trace reader', TRACE_READER_MODULE);
  let reader: TraceReaderLike;
  try {
    reader = mod.TraceReader.open ? mod.TraceReader.open(file.bytes, { file: file.name }) : new mod.TraceReader(file.bytes, { file: file.name });
  } catch (e) {
    throw traceFailure(e, file.name);
  }
  const counts = reader.counts?.() ?? {};
  const durationNs = reader.durationNs ?? 0;
  const summary: TraceSummary = {
    file: file.name,
    info: reader.info,
    durationNs,
    eventCount: Object.values(counts).reduce((a, b) => a + b, 0),
    counts,
    truncated: reader.truncated ?? false,
  };
  return { timeline: readerTimeline(reader, () => durationNs), summary };
}

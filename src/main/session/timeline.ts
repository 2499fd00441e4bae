// The queries the renderer makes over time (slices, state at t, events),
// answered from a trace: a file opened by the user, or the file a live run
// is recording. Wraps the trace reader (src/sim/trace/reader).

import type { SimEventKind, SimSnapshot } from '../../model/events';
import type { EventsResult, RunSlices, TraceSummary } from '../../protocol/contract';
import { TraceReader } from '../../sim/trace/reader';
import type { RunSlices as ReaderRunSlices } from '../../sim/trace/slices';
import { SessionFailure, type FileBytes, type FileOnDisk } from './file_source';
import type { KeyframeGlobals } from './global_series';

export interface Timeline {
  durationNs(): number;
  runSlices(t0: number, t1: number, nsPerPx: number): RunSlices;
  stateAt(t: number): SimSnapshot;
  events(t0: number, t1: number, kinds: string[] | undefined, limit: number): EventsResult;
  /** The globals each keyframe in [t0, t1) holds (pinned globals' counter tracks; writes to globals are not events). */
  keyframeGlobals?: KeyframeGlobals;
  /** A recorded file that will not change (not a live run's growing trace): answers over it may be kept. */
  unchanging?: boolean;
  /**
   * Resolves once every chunk is indexed (an opened trace indexes in the background). Whole-window
   * queries wait for it, so the slices the timeline asks for meanwhile are not held behind them.
   */
  indexed?: () => Promise<void>;
  close(): void;
}

/** The part of src/sim/trace's TraceReader the timeline uses (a live recording's reader too). */
export type TraceReaderLike = Pick<TraceReader, 'info' | 'duration' | 'eventCount' | 'recovery' | 'stateAt' | 'events' | 'runSlices' | 'close' | 'chunks' | 'keyframe'>;

/** Per-kind counts are computed by reading every event only for traces up to this size. */
const COUNT_KINDS_UP_TO = 200_000;

/** The trace reader's slices (src/sim/trace/slices.ts) in the contract's shape: cpu widened to Int32, `count` named `merged`. */
export function toRunSlices(s: ReaderRunSlices, t0: number, t1: number, nsPerPx: number): RunSlices {
  return { t0, t1, nsPerPx, cpu: Int32Array.from(s.cpu), pid: s.pid, start: s.start, end: s.end, merged: s.count };
}

export function readerTimeline(reader: TraceReaderLike): Timeline {
  return {
    durationNs: () => reader.duration,
    runSlices: (t0, t1, nsPerPx) =>
      toRunSlices(reader.runSlices(t0, t1, nsPerPx), t0, t1, nsPerPx),
    stateAt: (t) => reader.stateAt(t),
    events: (t0, t1, kinds, limit) => {
      const filter = { limit: limit + 1, ...(kinds && kinds.length > 0 ? { kinds: kinds as SimEventKind[] } : {}) };
      const events = reader.events(t0, t1, filter);
      const truncated = events.length > limit;
      return { events: truncated ? events.slice(0, limit) : events, truncated };
    },
    keyframeGlobals: (t0, t1, max) => {
      const inside: number[] = [];
      reader.chunks().forEach((c, ci) => {
        if (c.tBase > t0 && c.tBase < t1) inside.push(ci);
      });
      // evenly picked when there are more than `max`
      const step = Math.max(1, inside.length / max);
      const out: ReturnType<KeyframeGlobals> = [];
      for (let k = 0; k < inside.length; k += step) {
        const kf = reader.keyframe(inside[Math.floor(k)]!);
        if (kf.globals) out.push({ t: kf.t, globals: kf.globals });
      }
      return out;
    },
    close: () => reader.close(),
  };
}

export interface IndexBudgets {
  /** Wall time a slices query may spend indexing before it answers with the part indexed so far. */
  sliceMs: number;
  /** Indexing between requests: this much wall time per turn of the event loop. */
  backgroundMs: number;
}

const INDEX_BUDGETS: IndexBudgets = { sliceMs: 100, backgroundMs: 20 };

/**
 * An opened trace's timeline: a slices query answers from the chunks indexed so far — its `t1` says
 * how far that reaches, and the renderer asks again for the rest — while the remaining chunks are
 * indexed in the background between requests. The first paint does not wait for the whole file.
 */
export function streamedTimeline(reader: TraceReader, budgets: IndexBudgets = INDEX_BUDGETS): Timeline {
  const base = readerTimeline(reader);
  let timer: ReturnType<typeof setImmediate> | null = null;
  let indexed = false;
  const waiting: (() => void)[] = [];
  const settle = (): void => {
    indexed = true;
    for (const w of waiting.splice(0)) w();
  };
  const step = (): void => {
    timer = null;
    try {
      if (reader.indexSome(budgets.backgroundMs)) settle();
      else timer = setImmediate(step);
    } catch {
      // a damaged chunk: the next query reads it again and reports where
      settle();
    }
  };
  timer = setImmediate(step);
  return {
    ...base,
    unchanging: true,
    indexed: () => (indexed ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve))),
    runSlices: (t0, t1, nsPerPx) => {
      if (reader.indexSome(budgets.sliceMs)) settle();
      const until = Math.max(t0, Math.min(t1, reader.indexedUntil));
      return toRunSlices(reader.indexedRunSlices(t0, until, nsPerPx), t0, until, nsPerPx);
    },
    close: () => {
      if (timer) clearImmediate(timer);
      timer = null;
      settle();
      base.close();
    },
  };
}

export function countKinds(reader: TraceReaderLike): Record<string, number> {
  if (reader.eventCount > COUNT_KINDS_UP_TO) return {};
  const counts: Record<string, number> = {};
  for (const e of reader.events(-Infinity, Infinity)) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return counts;
}

function traceFailure(e: unknown, file: string): Error {
  if (e instanceof SessionFailure) return e;
  const err = e as Error & { code?: unknown };
  if (err instanceof Error && err.name === 'TraceError') {
    const message = err.message.startsWith(file) ? err.message : `${file}: ${err.message}`;
    return new SessionFailure({ code: 'trace_bad', message, file, ...(typeof err.code === 'string' ? { where: err.code } : {}) });
  }
  return new SessionFailure({ code: 'trace_bad', message: `${file}: ${err instanceof Error ? err.message : String(e)}`, file });
}

/**
 * A recorded timeline as the session's timeline: from bytes (an upload), or from a file on disk read
 * lazily — the header and the footer's chunk index first, chunks when a query needs them — so a trace of
 * any size opens without being read whole.
 */
export function openTraceTimeline(file: FileBytes | FileOnDisk): { timeline: Timeline; summary: TraceSummary } {
  let reader: TraceReader;
  try {
    reader = 'bytes' in file ? TraceReader.fromBytes(file.bytes, file.name) : TraceReader.open(file.path);
  } catch (e) {
    throw traceFailure(e, file.name);
  }
  try {
    const summary: TraceSummary = {
      file: file.name,
      info: reader.info,
      durationNs: reader.duration,
      eventCount: reader.eventCount,
      counts: countKinds(reader),
      truncated: !reader.recovery.complete,
    };
    return { timeline: streamedTimeline(reader), summary };
  } catch (e) {
    reader.close();
    throw traceFailure(e, file.name);
  }
}

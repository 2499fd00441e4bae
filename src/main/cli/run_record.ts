// `scxray run --record FILE [--max-trace-size SIZE]`: the recording side of
// a CLI run. The trace file is created before the run starts, so a bad path
// is one line and exit 2, not a stack trace after minutes of simulation. With
// a size budget the run stops at a chunk boundary before the next chunk would
// take the file past it; the trace is closed normally (footer and all), so it
// is complete up to the time the run stopped.

import type { Simulation } from '../../sim/simulation';
import { TraceError } from '../../sim/trace/errors';
import { objectLabels } from '../../sim/trace/labels';
import { TraceRecorder } from '../../sim/trace/recorder';

export class RecordInputError extends Error {}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
/** Smallest budget: a header, one keyframe chunk and a footer fit. */
export const MIN_TRACE_BUDGET = 64 * 1024;
/** Footer bytes per chunk index entry, with room to spare. */
const FOOTER_PER_CHUNK = 64;

/** "2G", "500M", "64k", "1.5G" or plain bytes (binary units: K = 1024). */
export function parseByteSize(text: string, option: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(text);
  const n = m ? Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!) : NaN;
  if (!Number.isSafeInteger(n)) throw new RecordInputError(`${option} expects a size such as 2G, 500M or 64K (got "${text}")`);
  if (n < MIN_TRACE_BUDGET) throw new RecordInputError(`${option} ${text} is too small: a trace needs at least ${MIN_TRACE_BUDGET / 1024}K`);
  return n;
}

export function formatBytes(n: number): string {
  for (const [u, f] of [['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) if (n >= f) return `${(n / f).toFixed(n % f === 0 ? 0 : 1)}${u}`;
  return `${n} bytes`;
}

export interface Recording {
  readonly recorder: TraceRecorder;
  /** Stop predicate for runUntil: true once the next chunk could take the file past the budget. */
  full(): boolean;
  /** Why the run stopped early, once full() said so. */
  readonly stoppedBecause: string | null;
  close(): void;
}

/** Create the trace file now (or say in one line why it cannot be) and record every event of `sim` into it. */
export function openRecording(path: string, sim: Simulation, maxBytes: number | undefined): Recording {
  let recorder: TraceRecorder;
  try {
    // the header carries the program/map/line tables, so the trace shows source without the .bpf.o
    recorder = new TraceRecorder(path, sim.info, { snapshot: () => sim.snapshot(), labels: objectLabels(sim.object) });
  } catch (e) {
    if (e instanceof TraceError && e.code === 'io') throw new RecordInputError(`--record ${e.message}`);
    throw e;
  }
  sim.on((ev) => recorder.event(ev));
  let largestChunk = 0;
  let lastBytes = recorder.bytesWritten;
  let stoppedBecause: string | null = null;
  let n = 0;
  return {
    recorder,
    get stoppedBecause() {
      return stoppedBecause;
    },
    full() {
      if (maxBytes === undefined || (++n & 255) !== 0) return false;
      const bytes = recorder.bytesWritten;
      largestChunk = Math.max(largestChunk, bytes - lastBytes);
      lastBytes = bytes;
      // the open chunk is written at close: leave room for one more chunk as large as the largest so far, and the footer
      const worstClose = bytes + largestChunk + FOOTER_PER_CHUNK * (recorder.chunkCount + 2);
      if (worstClose < maxBytes) return false;
      stoppedBecause ??= `the trace reached its --max-trace-size budget of ${formatBytes(maxBytes)}`;
      return true;
    },
    close: () => recorder.close(),
  };
}

// Import a scheduling trace from a file's bytes: gzip is unpacked, JSON goes
// to the Perfetto/Chrome reader, anything else to the ftrace / trace-cmd /
// perf script text reader.

import { gunzipSync } from 'node:zlib';
import { TraceImportError } from './sched_trace';
import { parsePerfettoJson } from './perfetto_json';
import { parseTextTrace, type TextTraceResult } from './text_trace';

export { TraceImportError } from './sched_trace';
export type { SchedTrace, TraceEvent, TraceTask, TracedMachine } from './sched_trace';
export type { TextTraceResult } from './text_trace';

export function decodeTraceBytes(bytes: Uint8Array, source: string): string {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new TraceImportError(source, 0, `gzip data does not unpack (${(e as Error).message}); the file may be truncated`);
    }
  }
  // perf.data itself is binary: say how to turn it into text
  if (bytes.length >= 8 && new TextDecoder().decode(bytes.subarray(0, 8)) === 'PERFILE2') {
    throw new TraceImportError(source, 0, 'this is a binary perf.data file; convert it first with `perf script -i FILE --header -I > FILE.txt` (or `perf sched script`)');
  }
  return new TextDecoder().decode(bytes);
}

export function importTraceText(text: string, source: string): TextTraceResult {
  return /^\s*[{[]/.test(text) ? parsePerfettoJson(text, source) : parseTextTrace(text, source);
}

export function importTraceBytes(bytes: Uint8Array, source: string): TextTraceResult {
  return importTraceText(decodeTraceBytes(bytes, source), source);
}

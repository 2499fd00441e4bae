// Perfetto / Chrome JSON traces: the Trace Event Format keeps kernel
// scheduling data as ftrace text in "systemTraceEvents" (what Perfetto's JSON
// importer and chrome://tracing read, and what `scxray run --export-sched
// FILE.json` writes). That text goes through the ftrace reader; JSON
// without it has no scheduler events to import. Perfetto's protobuf format
// is not read: no maintained npm parser for it exists.

import { TraceImportError } from './sched_trace';
import { parseTextTrace, type TextTraceResult } from './text_trace';

export function parsePerfettoJson(text: string, source: string): TextTraceResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // JSON.parse names a position; turn it into a line so the message points into the file
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : 0;
    throw new TraceImportError(source, line, `not valid JSON (${msg})${line === 0 ? '; the file may be truncated' : ''}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new TraceImportError(source, 0, 'a Perfetto/Chrome JSON trace must be an object with "systemTraceEvents" (ftrace text); an array of trace events has no scheduler data');
  }
  const sys = (doc as Record<string, unknown>).systemTraceEvents;
  if (typeof sys !== 'string') {
    throw new TraceImportError(source, 0, 'no "systemTraceEvents" string (the ftrace text that carries sched_switch/sched_wakeup) in this JSON trace; record with the sched ftrace events enabled, or import the ftrace/perf text directly');
  }
  return parseTextTrace(sys, `${source} (systemTraceEvents)`, 'perfetto-json');
}

// A scheduling trace as Perfetto / Chrome JSON: the scheduler events go in
// "systemTraceEvents" as ftrace text, which Perfetto UI turns into its CPU
// and thread tracks and which `scxray workload import` reads back.

import type { SchedTrace } from '../import/sched_trace';
import { writeSchedText } from './sched_text';

export function writePerfettoJson(trace: SchedTrace, meta: Record<string, unknown> = {}): string {
  return JSON.stringify({
    displayTimeUnit: 'ns',
    otherData: { tool: 'scxray', source: trace.source, ...meta },
    traceEvents: [],
    systemTraceEvents: writeSchedText(trace, 'ftrace'),
  }) + '\n';
}

// importSchedTrace: a scheduling trace from a real machine, uploaded or on
// disk, as a workload for the next run plus the original's slices and
// wakeup latencies for the UI (protocol/sched_import.ts). Bad input is a
// trace_bad error naming the file and line.

import type { ImportedSchedTrace } from '../../protocol/sched_import';
import { importTraceBytes, TraceImportError } from '../../sim/workload/import/index';
import { traceToWorkload } from '../../sim/workload/import/to_workload';
import { traceFigures } from '../../sim/workload/import/figures';
import { traceSlices } from '../../sim/workload/import/slices';
import { validateWorkload, WorkloadError } from '../../sim/workload/load';
import { fail, type FileBytes } from './file_source';

export function importSchedTrace(file: FileBytes): ImportedSchedTrace {
  try {
    const { trace } = importTraceBytes(file.bytes, file.name);
    const workload = validateWorkload(traceToWorkload(trace, { name: file.name.replace(/\.(gz|txt|json)$/g, '') }), file.name);
    const fig = traceFigures(trace);
    const comms: Record<string, string> = {};
    for (const t of trace.tasks.values()) comms[String(t.pid)] = t.comm;
    const g = workload.groups;
    return {
      file: file.name,
      format: trace.format,
      cpus: trace.machine.cpus,
      spanNs: trace.endNs - trace.startNs,
      workloadJson: JSON.stringify(workload),
      report: `${g.length} tasks (${g.filter((x) => x.trace?.kthread).length} kernel threads, ${g.filter((x) => x.trace?.partial).length} seen only partly) over ${((trace.endNs - trace.startNs) / 1e6).toFixed(1)} ms on ${trace.machine.cpus} CPUs`,
      tasks: g.length,
      slices: traceSlices(trace),
      comms,
      utilization: fig.cpus.map((c) => c.utilization),
      migrations: fig.migrations,
      wakeLatencyNs: fig.wakeLatencyNs,
      wakeLatencySamples: Array.from(fig.wakeLatencySamples),
    };
  } catch (e) {
    if (e instanceof TraceImportError || e instanceof WorkloadError) {
      fail({ code: 'trace_bad', message: e.message, file: file.name, ...(e instanceof TraceImportError && e.line > 0 ? { where: `line ${e.line}` } : {}) });
    }
    throw e;
  }
}

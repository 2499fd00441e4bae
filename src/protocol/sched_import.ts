// The session API's importSchedTrace answer: a scheduling trace from a real
// machine (perf / ftrace / trace-cmd text, Perfetto JSON) imported as a
// workload, with what the UI shows of the original beside the simulated run —
// its run slices per CPU (times from the trace start), task names, and its
// wakeup latencies for the histogram.

import { z } from 'zod';

const Percentiles = z.object({ p50: z.number(), p90: z.number(), p99: z.number(), max: z.number(), samples: z.number() });

export const ImportedSchedTrace = z.object({
  file: z.string(),
  format: z.enum(['ftrace', 'perf', 'perfetto-json']),
  cpus: z.number().int().positive(),
  spanNs: z.number().nonnegative(),
  /** The workload that replays the trace (docs/workloads.md), as JSON text for startRun's { json }. */
  workloadJson: z.string(),
  /** What the import found, in the CLI's words. */
  report: z.string(),
  tasks: z.number().int().nonnegative(),
  slices: z.object({ cpu: z.array(z.number()), pid: z.array(z.number()), start: z.array(z.number()), end: z.array(z.number()) }),
  /** pid → comm of the traced tasks. */
  comms: z.record(z.string(), z.string()),
  /** Per traced CPU, busy / span. */
  utilization: z.array(z.number()),
  /** Consecutive runs of a task on different CPUs, over all tasks. */
  migrations: z.number().int().nonnegative(),
  wakeLatencyNs: Percentiles,
  /** Every wakeup latency (ns), for the histogram. */
  wakeLatencySamples: z.array(z.number()),
});
export type ImportedSchedTrace = z.infer<typeof ImportedSchedTrace>;

// The rangeSummary query: what happened in a selected time range [t0, t1) —
// per task runtime, wait, runs and wakeup-latency percentiles; per op calls,
// instructions and mean cost; per source line ownership events (the same
// rows as lineCounts, which the source pane's gutter shows); per DSQ max
// depth. Answered by src/main/session/range_summary.ts, the function
// `scxray replay TRACE --summary --from T0 --to T1 --json` prints, so the
// UI's Range tab and the command line read the same numbers.

import { z } from 'zod';
import { LineCountsSchema } from './line_counts';

export const RangeSummaryParams = z
  .object({ t0: z.number().finite().min(0), t1: z.number().finite().min(0) })
  .strict()
  .refine((p) => p.t1 >= p.t0, { message: 't1 must be >= t0', path: ['t1'] });

/** p50/p90/p99/max by nearest rank (sim/summary percentiles()), and how many samples there were. */
const Percentiles = z.object({ p50: z.number(), p90: z.number(), p99: z.number(), max: z.number(), samples: z.number().int() });

export const RangeSummarySchema = z.object({
  /** Whole nanoseconds: the range asked for, rounded up. */
  t0: z.number(),
  /** Lowered to the last event read when the range held more events than one answer reads (`truncated`). */
  t1: z.number(),
  /** Events read to compute it (of the kinds it uses). */
  events: z.number().int(),
  truncated: z.boolean(),
  /** Tasks that ran, waited or woke inside the range; by runtime, then pid. */
  tasks: z.array(
    z.object({
      pid: z.number().int(),
      comm: z.string(),
      /** Time running inside the range, ns. */
      runtimeNs: z.number(),
      /** Time runnable (queued or waiting for a CPU) inside the range, ns. */
      waitNs: z.number(),
      /** Times it started running inside the range. */
      runs: z.number().int(),
      /** From runnable after sleeping (or new) to running, for wakeups whose whole wait lies inside the range. */
      wakeLatencyNs: Percentiles,
    }),
  ),
  /** Wakeup latency over all tasks. */
  wakeLatencyNs: Percentiles,
  /** Per op (sched_ext_ops member): calls, instructions run (callbacks included), insns / calls; most instructions first. */
  ops: z.array(z.object({ op: z.string(), calls: z.number().int(), insns: z.number(), meanInsns: z.number() })),
  /** lineCounts' rows: ownership events per source line; most events first. */
  lines: LineCountsSchema.shape.lines,
  /** DSQs with a task queued at some point: the most at once (events in recorded order), at t0, inserts; deepest first. */
  dsqs: z.array(z.object({ dsq: z.string(), maxDepth: z.number().int(), startDepth: z.number().int(), inserts: z.number().int() })),
});
export type RangeSummary = z.infer<typeof RangeSummarySchema>;
export type RangePercentiles = z.infer<typeof Percentiles>;

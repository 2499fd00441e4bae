// Per-source-line counts for a time window, for the source pane's gutter:
// how many ownership events (bpf_obj_new, owner changes, bpf_obj_drop/free)
// each line caused, from the sites the trace records on those events, and
// how many times each op was called (its program's entry line runs once per
// call). Which other lines ran how often is not recorded: the trace keeps
// per-call instruction totals, not lines, so the answer says so instead of
// guessing. Answered by src/main/session/line_counts.ts.

import { z } from 'zod';

export const LineCountsParams = z
  .object({
    t0: z.number().finite().min(0),
    t1: z.number().finite().min(0),
  })
  .strict()
  .refine((p) => p.t1 >= p.t0, { message: 't1 must be >= t0', path: ['t1'] });

export const LineCountsSchema = z.object({
  t0: z.number(),
  /** Lowered to the last event read when the window held more events than one answer reads (`truncated`). */
  t1: z.number(),
  /** One entry per (file, line) that caused an ownership event in [t0, t1); `file` as line_info names it ('' unknown). */
  lines: z.array(
    z.object({
      file: z.string(),
      line: z.number(),
      /** The program (first seen) whose instruction caused them. */
      program: z.string(),
      alloc: z.number(),
      move: z.number(),
      free: z.number(),
    }),
  ),
  /** Op calls in [t0, t1) by sched_ext_ops member name, with the instructions they ran. */
  ops: z.array(z.object({ op: z.string(), calls: z.number(), insns: z.number() })),
  /** Per-line execution counts are not recorded by the trace (only per-call instruction totals). */
  runs: z.literal('not_recorded'),
  truncated: z.boolean(),
});
export type LineCounts = z.infer<typeof LineCountsSchema>;

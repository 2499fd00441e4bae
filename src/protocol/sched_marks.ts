// Timeline markers for kicks and preemptions over a window, columnar.
// Answered by the session (src/main/session/sched_marks.ts); drawn in the
// timeline's marker strip beside the diagnostics and the exit.

import { z } from 'zod';

/**
 * Why a running task was switched out while still runnable (an involuntary switch, what sched_switch reports
 * with prev_state R): a SCX_KICK_PREEMPT kick at its CPU, its slice used up, or with slice left (a higher class
 * or a dispatch that asked for the CPU).
 */
export const PREEMPT_REASONS = ['kick', 'slice', 'slice_left'] as const;
export type PreemptReason = (typeof PREEMPT_REASONS)[number];

export const SchedMarksParams = z
  .object({
    t0: z.number().finite().min(0),
    t1: z.number().finite().min(0),
    /** At most this many of each kind; more and the answer says `truncated`. */
    limit: z.number().int().min(1).max(100_000).default(20_000),
  })
  .strict()
  .refine((p) => p.t1 >= p.t0, { message: 't1 must be >= t0', path: ['t1'] });

export interface SchedMarks {
  t0: number;
  t1: number;
  /** scx_bpf_kick_cpu calls: when, from which CPU (-1 outside any op, e.g. a BPF timer), which CPU, flags (string index). */
  kicks: { t: Float64Array; cpu: Int32Array; target: Int32Array; flags: Int32Array };
  /** Involuntary switches: when, on which CPU, the task switched out and the one switched in, the reason (PREEMPT_REASONS), the kicking CPU (-1 none). */
  preemptions: { t: Float64Array; cpu: Int32Array; pid: Int32Array; next: Int32Array; reason: Uint8Array; kicker: Int32Array };
  strings: string[];
  truncated: boolean;
}

const typed = (ctor: { new (...a: never[]): unknown }) => z.custom((v) => v instanceof ctor, { message: `expected ${ctor.name}` });
const i32 = typed(Int32Array);
const f64 = typed(Float64Array);

export const SchedMarksSchema = z.object({
  t0: z.number(),
  t1: z.number(),
  kicks: z.object({ t: f64, cpu: i32, target: i32, flags: i32 }),
  preemptions: z.object({ t: f64, cpu: i32, pid: i32, next: i32, reason: typed(Uint8Array), kicker: i32 }),
  strings: z.array(z.string()),
  truncated: z.boolean(),
}) as unknown as z.ZodType<SchedMarks>;

// Flows (like Perfetto's flow arrows) for one task or one heap object over a
// time window, columnar: a task's chains wakeup (or preemption) → enqueue
// (which DSQ) → dispatch → run, and an object's life allocation → add →
// remove → stash → unstash → drop, each step at its time and CPU. Answered by
// the session (src/main/session/flows.ts) from the trace of a live run or an
// opened recording; drawn as arrows over the CPU lanes.

import { z } from 'zod';

/** Step kinds, by code. A task's: wakeup..run; an object's: alloc..leak. */
export const FLOW_STEPS = [
  'wakeup', // became runnable after sleeping (or as a new task)
  'preempted', // became runnable again while it ran (slice used up, kicked, or a higher class)
  'enqueue', // ops.enqueue ran for it, or the kernel queued it itself (direct dispatch, no ops.enqueue)
  'dispatch', // moved towards a CPU: ops.dispatch inserted it, or a CPU took it from a shared DSQ
  'run', // switched in: its slice starts
  'alloc', // bpf_obj_new
  'add', // into a bpf_rb_root or bpf_list_head
  'remove', // out of one, to a program
  'stash', // bpf_kptr_xchg into a __kptr slot
  'unstash', // bpf_kptr_xchg out of one, to a program
  'acquire', // a new reference (bpf_refcount_acquire)
  'release', // a reference dropped, others remain
  'free', // freed (the last reference dropped, or its map let go of it)
  'leak', // a program returned still owning it
] as const;
export type FlowStepKind = (typeof FLOW_STEPS)[number];

export const FlowsParams = z
  .object({
    t0: z.number().finite().min(0),
    t1: z.number().finite().min(0),
    pid: z.number().int().min(1).optional(),
    obj: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((p) => p.t1 >= p.t0, { message: 't1 must be >= t0', path: ['t1'] })
  .refine((p) => (p.pid === undefined) !== (p.obj === undefined), { message: 'give exactly one of pid (a task) or obj (a heap object)', path: ['pid'] });

/**
 * Steps are grouped into chains (chain i is steps offset[i] .. offset[i+1], in time order); an arrow joins each
 * step to the next of its chain. `cpu` is -1 where no CPU did it (the kernel freed an object with its map).
 * `label` indexes `strings`: what the step did, in people's words ("enqueue into DSQ 7").
 */
export interface Flows {
  t0: number;
  t1: number;
  subject: { kind: 'task'; pid: number } | { kind: 'obj'; id: number };
  strings: string[];
  steps: { t: Float64Array; cpu: Int32Array; kind: Uint8Array; label: Int32Array };
  offset: Int32Array;
  /** More steps than one answer carries, or more events than the session reads: the chains stop early. */
  truncated: boolean;
}

const typed = (ctor: { new (...a: never[]): unknown }) => z.custom((v) => v instanceof ctor, { message: `expected ${ctor.name}` });

export const FlowsSchema = z.object({
  t0: z.number(),
  t1: z.number(),
  subject: z.union([z.object({ kind: z.literal('task'), pid: z.number() }), z.object({ kind: z.literal('obj'), id: z.number() })]),
  strings: z.array(z.string()),
  steps: z.object({ t: typed(Float64Array), cpu: typed(Int32Array), kind: typed(Uint8Array), label: typed(Int32Array) }),
  offset: typed(Int32Array),
  truncated: z.boolean(),
}) as unknown as z.ZodType<Flows>;

// "Change over time" for a time window, columnar: the lifetime of every heap
// object (bpf_obj_new .. obj_free, split into bands by owner), what each
// __kptr slot held and when it was exchanged, and counter series (nodes per
// rbtree/list root, DSQ depth, live objects by type) as step functions.
// Answered by the session (src/main/session/change_tracks.ts) from the trace
// of a live run or an opened recording; drawn by the renderer's tracks.

import { z } from 'zod';

/** Owner kinds of a lifetime band, by code (OwnerRef kinds, plus `leaked` from a leak diagnostic on). */
export const OWNER_KINDS = ['program', 'rb_root', 'list_head', 'kptr', 'refcount', 'leaked'] as const;
export type OwnerKindName = (typeof OWNER_KINDS)[number];

/** Task states of a pinned task's track, by code. */
export const TASK_STATES = ['new', 'runnable', 'running', 'sleeping', 'exited'] as const;

export const ChangeTracksParams = z
  .object({
    t0: z.number().finite().min(0),
    t1: z.number().finite().min(0),
    /** A pinned task: its state track comes back as `task`. */
    pid: z.number().int().min(0).optional(),
    /** Pinned global variables: each numeric one comes back as a counter series of group 'global', sampled at keyframes. */
    globals: z.array(z.string().min(1).max(256)).max(32).optional(),
  })
  .strict()
  .refine((p) => p.t1 >= p.t0, { message: 't1 must be >= t0', path: ['t1'] });

/**
 * Everything indexes `strings` by number (types, owner labels, slot keys,
 * series names), so the arrays stay typed. Times are ns; NaN in `born`/`died`
 * means before t0 / still alive at t1.
 */
export interface ChangeTracks {
  t0: number;
  t1: number;
  strings: string[];
  /** One entry per object alive at some point in [t0, t1). */
  objects: {
    id: Int32Array;
    type: Int32Array;
    born: Float64Array;
    died: Float64Array;
    /** The leak diagnostic's time, NaN if none. */
    leakedAt: Float64Array;
    /** The allocation site: program (string index) and source line (0 unknown). */
    siteProgram: Int32Array;
    siteLine: Int32Array;
  };
  /**
   * Ownership bands: object index, [start, end), owner kind code (OWNER_KINDS) and owner label (string index);
   * sorted by object then start, the bands of object i are offset[i] .. offset[i+1].
   */
  bands: { obj: Int32Array; start: Float64Array; end: Float64Array; kind: Uint8Array; label: Int32Array; offset: Int32Array };
  /** kptr slots: key, map and field names (string indexes). */
  slots: { key: Int32Array; map: Int32Array; field: Int32Array };
  /** What each slot held over time (obj id; 0 = empty); by slot then start, slot i's are offset[i] .. offset[i+1]. */
  slotBands: { slot: Int32Array; start: Float64Array; end: Float64Array; obj: Int32Array; offset: Int32Array };
  /** Each bpf_kptr_xchg that changed a slot: slot index, time, the object now in it (0 = none); by slot then time, with offsets. */
  xchg: { slot: Int32Array; t: Float64Array; obj: Int32Array; offset: Int32Array };
  /**
   * Counter series: name and group (string indexes: 'root', 'dsq', 'type', and 'global' for pinned globals, whose
   * points are the keyframes' values); points of series i are offset[i] .. offset[i+1].
   */
  counters: { name: Int32Array; group: Int32Array; offset: Int32Array; t: Float64Array; v: Float64Array };
  /**
   * The pinned task's states as steps (state code in TASK_STATES; the DSQ it waits in, a string index, -1 none):
   * step k holds from t[k] to t[k+1] (or t1). Absent without `pid` or when the task does not exist in the window.
   */
  task?: { pid: number; comm: string; t: Float64Array; state: Uint8Array; dsq: Int32Array };
  /** More events than the session reads in one answer: the tracks end early (at `t1`, lowered). */
  truncated: boolean;
}

const typed = (ctor: { new (...a: never[]): unknown }) => z.custom((v) => v instanceof ctor, { message: `expected ${ctor.name}` });
const i32 = typed(Int32Array);
const f64 = typed(Float64Array);

export const ChangeTracksSchema = z.object({
  t0: z.number(),
  t1: z.number(),
  strings: z.array(z.string()),
  objects: z.object({ id: i32, type: i32, born: f64, died: f64, leakedAt: f64, siteProgram: i32, siteLine: i32 }),
  bands: z.object({ obj: i32, start: f64, end: f64, kind: typed(Uint8Array), label: i32, offset: i32 }),
  slots: z.object({ key: i32, map: i32, field: i32 }),
  slotBands: z.object({ slot: i32, start: f64, end: f64, obj: i32, offset: i32 }),
  xchg: z.object({ slot: i32, t: f64, obj: i32, offset: i32 }),
  counters: z.object({ name: i32, group: i32, offset: i32, t: f64, v: f64 }),
  task: z.object({ pid: z.number(), comm: z.string(), t: f64, state: typed(Uint8Array), dsq: i32 }).optional(),
  truncated: z.boolean(),
}) as unknown as z.ZodType<ChangeTracks>;

// Per-CPU lanes over the session's columnar RunSlices, and the level-of-detail walk the
// timeline draws from. Built once per batch (not per frame); each frame then
// binary-searches the visible range of each lane and merges slices that fall
// into the same pixel column, so a lane never costs more rectangles than it
// has pixels — whatever the number of slices (Perfetto does the same per
// track).
import type { RunSlices } from '../../protocol/contract';

export interface SliceLanes {
  batch: RunSlices;
  count: number;
  lanes: number;
  /** Slice indices ordered by (cpu, start). */
  order: Uint32Array;
  /** order[laneOffset[c] .. laneOffset[c+1]) are CPU c's slices. */
  laneOffset: Uint32Array;
  /** start of order[k], so the binary search reads one contiguous array. */
  sortedStart: Float64Array;
}

export function buildLanes(batch: RunSlices, minLanes = 0): SliceLanes {
  const n = batch.start.length;
  let lanes = minLanes;
  for (let i = 0; i < n; i++) if (batch.cpu[i]! + 1 > lanes) lanes = batch.cpu[i]! + 1;
  const laneOffset = new Uint32Array(lanes + 1);
  for (let i = 0; i < n; i++) laneOffset[batch.cpu[i]! + 1]!++;
  for (let c = 0; c < lanes; c++) laneOffset[c + 1]! += laneOffset[c]!;
  const fill = laneOffset.slice(0, lanes);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[fill[batch.cpu[i]!]!++] = i;
  for (let c = 0; c < lanes; c++) {
    const a = laneOffset[c]!;
    const b = laneOffset[c + 1]!;
    let sorted = true;
    for (let k = a + 1; k < b && sorted; k++) sorted = batch.start[order[k - 1]!]! <= batch.start[order[k]!]!;
    if (!sorted) {
      const seg = Array.from(order.subarray(a, b)).sort((x, y) => batch.start[x]! - batch.start[y]!);
      order.set(seg, a);
    }
  }
  const sortedStart = new Float64Array(n);
  for (let k = 0; k < n; k++) sortedStart[k] = batch.start[order[k]!]!;
  return { batch, count: n, lanes, order, laneOffset, sortedStart };
}

/** First k in [a, b) with sortedStart[k] >= t (b when none). */
function lowerBound(arr: Float64Array, a: number, b: number, t: number): number {
  let lo = a;
  let hi = b;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One rectangle [px0, px1) of a lane. `merged` is true when it stands for
 * more than one slice (level of detail): the painter must draw it so it
 * cannot be mistaken for one task's run. `index` is the batch index of the
 * slice it shows (for a merged rectangle: the one that ran longest).
 */
export type RectSink = (px0: number, px1: number, pid: number, merged: boolean, index: number) => void;

/**
 * Walk the slices of one lane visible in [t0, t1] and emit rectangles via
 * `sink`. `toPx` maps ns to fractional pixels. Every bound is rounded the
 * same way (Math.round), so back-to-back slices abut exactly and never
 * overlap. Only slices that are each narrower than one pixel merge, and only
 * with narrow neighbours sharing a pixel column; a slice one pixel or wider
 * is always drawn on its own. Returns the number of rectangles emitted.
 */
export function walkLane(
  lanes: SliceLanes,
  lane: number,
  t0: number,
  t1: number,
  toPx: (t: number) => number,
  sink: RectSink,
): number {
  if (lane >= lanes.lanes) return 0;
  const { batch, order, sortedStart } = lanes;
  const a = lanes.laneOffset[lane]!;
  const b = lanes.laneOffset[lane + 1]!;
  let k = lowerBound(sortedStart, a, b, t0);
  // Slices on one CPU do not overlap, so at most the one before may reach into view.
  if (k > a && batch.end[order[k - 1]!]! > t0) k--;
  let emitted = 0;
  // The open group of narrow slices: [g0, g1) in whole pixels.
  let open = false;
  let g0 = 0;
  let g1 = 0;
  let gPid = 0;
  let gIndex = -1;
  let gBest = -1;
  let gMerged = false;
  // Right edge of the last rectangle emitted: nothing is drawn left of it again.
  let edge = -Infinity;
  const flush = () => {
    if (!open) return;
    open = false;
    const x0 = Math.max(g0, edge);
    if (g1 <= x0) return;
    sink(x0, g1, gPid, gMerged, gIndex);
    edge = g1;
    emitted++;
  };
  for (; k < b; k++) {
    const i = order[k]!;
    const s = batch.start[i]!;
    if (s > t1) break;
    const e = batch.end[i]!;
    const f0 = toPx(s);
    const f1 = toPx(e);
    const already = batch.merged[i]! > 1;
    if (f1 - f0 >= 1) {
      // Wide: its own rectangle. A narrow group before it ends where it starts.
      const x0 = Math.round(f0);
      const x1 = Math.round(f1);
      if (open && g1 > x0) g1 = Math.max(x0, g0 + 1);
      flush();
      const from = Math.max(x0, edge);
      if (x1 > from) {
        sink(from, x1, batch.pid[i]!, already, i);
        edge = x1;
        emitted++;
      }
      continue;
    }
    // Narrow: one pixel column at least, merged with narrow neighbours in the same column.
    const c0 = Math.floor(f0);
    const c1 = Math.max(c0 + 1, Math.ceil(f1));
    const dur = e - s;
    if (open && c0 < g1) {
      if (c1 > g1) g1 = c1;
      gMerged = true;
      if (dur > gBest) {
        gBest = dur;
        gPid = batch.pid[i]!;
        gIndex = i;
      }
      continue;
    }
    flush();
    open = true;
    g0 = c0;
    g1 = c1;
    gPid = batch.pid[i]!;
    gIndex = i;
    gBest = dur;
    gMerged = already;
  }
  flush();
  return emitted;
}

/** The slice (batch index) under time t on a lane, or -1. */
export function sliceAt(lanes: SliceLanes, lane: number, t: number): number {
  if (lane < 0 || lane >= lanes.lanes) return -1;
  const a = lanes.laneOffset[lane]!;
  const b = lanes.laneOffset[lane + 1]!;
  const k = lowerBound(lanes.sortedStart, a, b, t + 1e-9) - 1;
  if (k < a) return -1;
  const i = lanes.order[k]!;
  return lanes.batch.end[i]! > t ? i : -1;
}

/** Build RunSlices from rows (tests and small synthetic data). */
export function sliceBatchOf(rows: { cpu: number; pid: number; start: number; end: number }[], t0 = 0, t1 = 0, nsPerPx = 1): RunSlices {
  const n = rows.length;
  const b: RunSlices = {
    t0,
    t1,
    nsPerPx,
    merged: new Uint32Array(n),
    cpu: new Int32Array(n),
    pid: new Int32Array(n),
    start: new Float64Array(n),
    end: new Float64Array(n),
  };
  rows.forEach((r, i) => {
    b.cpu[i] = r.cpu;
    b.pid[i] = r.pid;
    b.start[i] = r.start;
    b.end[i] = r.end;
  });
  return b;
}

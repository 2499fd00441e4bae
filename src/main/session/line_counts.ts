// The lineCounts query (protocol/line_counts.ts): counts, per source line,
// the ownership events whose recorded site is that line, and the op calls
// per op, over a window of any Timeline. Reads events only; re-executes
// nothing.

import type { SimEvent } from '../../model/events';
import type { LineCounts } from '../../protocol/line_counts';
import type { Timeline } from './timeline';

/** The most events one answer reads; past it the counts stop at the last event read (`truncated`). */
export const MAX_LINE_EVENTS = 1_000_000;

type Row = LineCounts['lines'][number];

/** Counts of [t0, t1) from the events in it (exported for tests). */
export function countLines(events: Iterable<SimEvent>, t0: number, t1: number, truncated = false): LineCounts {
  const rows = new Map<string, Row>();
  const ops = new Map<string, { op: string; calls: number; insns: number }>();
  for (const e of events) {
    if (e.t < t0 || e.t >= t1) continue;
    if (e.kind === 'op') {
      let o = ops.get(e.op);
      if (!o) ops.set(e.op, (o = { op: e.op, calls: 0, insns: 0 }));
      o.calls++;
      o.insns += e.insns;
      continue;
    }
    if (e.kind !== 'obj_new' && e.kind !== 'obj_owner' && e.kind !== 'obj_free') continue;
    // bpf_obj_new records the allocation and then hands it from 'freed' to the program: one event, not two
    if (e.kind === 'obj_owner' && e.from.kind === 'freed') continue;
    const site = e.site;
    if (!site?.line) continue;
    const file = site.file ?? '';
    const key = `${file}\0${site.line}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { file, line: site.line, program: site.program, alloc: 0, move: 0, free: 0 }));
    if (e.kind === 'obj_new') r.alloc++;
    else if (e.kind === 'obj_owner') r.move++;
    else r.free++;
  }
  const lines = [...rows.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { t0, t1, lines, ops: [...ops.values()].sort((a, b) => a.op.localeCompare(b.op)), runs: 'not_recorded', truncated };
}

/** The line counts of [t0, t1) over `timeline`. */
export function lineCounts(timeline: Pick<Timeline, 'events'>, t0: number, t1: number): LineCounts {
  const read = timeline.events(t0, t1, ['op', 'obj_new', 'obj_owner', 'obj_free'], MAX_LINE_EVENTS);
  let end = t1;
  // a cut-short read ends at its last event: count only whole instants
  if (read.truncated && read.events.length > 0) end = read.events[read.events.length - 1]!.t;
  return countLines(read.events, t0, end, read.truncated);
}

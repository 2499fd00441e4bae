// Row layout and hit testing for the change-over-time tracks (ChangeTracks.svelte):
// counter series first, then kptr slots, then one row per heap object grouped
// by type, each group under a header row. Pure: the component draws the rows
// that intersect its scroll viewport and asks here what is under the pointer.

import { OWNER_KINDS, type ChangeTracks, type TASK_STATES } from '../../protocol/change_tracks';

export type TrackRow =
  | { kind: 'header'; y: number; h: number; text: string; /** An object type's header: click folds its rows. */ type?: string }
  | { kind: 'task'; y: number; h: number }
  | { kind: 'counter'; y: number; h: number; series: number }
  | { kind: 'slot'; y: number; h: number; slot: number }
  | { kind: 'obj'; y: number; h: number; obj: number };

export const ROW_H = { header: 16, task: 14, counter: 22, slot: 12, obj: 10 } as const;

/** Colours of a pinned task's states (TASK_STATES order); exited draws nothing. */
export const TASK_COLORS: Record<(typeof TASK_STATES)[number], string | null> = {
  new: '#c9ced6',
  runnable: '#e0a100',
  running: '#2e9d4f',
  sleeping: '#dfe3e8',
  exited: null,
};

/** Colours per owner kind code (OWNER_KINDS order). */
export const OWNER_COLORS: Record<(typeof OWNER_KINDS)[number], string> = {
  program: '#8a919c',
  rb_root: '#2f6fdd',
  list_head: '#119c8d',
  kptr: '#9b51e0',
  refcount: '#d98a00',
  leaked: '#d7263d',
};

/** Counter series i is a pinned global (group 'global'). */
const isGlobal = (tr: ChangeTracks, i: number): boolean => tr.strings[tr.counters.group[i]!] === 'global';

/** `collapsed`: object types whose rows are folded under their header. */
export function layoutRows(tr: ChangeTracks, collapsed: readonly string[] = []): { rows: TrackRow[]; height: number } {
  const rows: TrackRow[] = [];
  let y = 0;
  type Unplaced = { kind: 'header'; text: string; type?: string } | { kind: 'task' } | { kind: 'counter'; series: number } | { kind: 'slot'; slot: number } | { kind: 'obj'; obj: number };
  const push = (r: Unplaced, h: number): void => {
    rows.push({ ...r, y, h });
    y += h;
  };
  if (tr.task) {
    push({ kind: 'header', text: `Task ${tr.task.comm} (pid ${tr.task.pid})` }, ROW_H.header);
    push({ kind: 'task' }, ROW_H.task);
  }
  const nSeries = tr.counters.name.length;
  if (nSeries > 0) {
    push({ kind: 'header', text: `Counters (${nSeries})` }, ROW_H.header);
    // globals the user pinned first, then the rest in the order given
    const pinnedFirst = Array.from({ length: nSeries }, (_, i) => i).sort((a, b) => Number(isGlobal(tr, b)) - Number(isGlobal(tr, a)));
    for (const i of pinnedFirst) push({ kind: 'counter', series: i }, ROW_H.counter);
  }
  const nSlots = tr.slots.key.length;
  if (nSlots > 0) {
    push({ kind: 'header', text: `kptr slots (${nSlots})` }, ROW_H.header);
    const order = Array.from({ length: nSlots }, (_, i) => i).sort((a, b) =>
      tr.strings[tr.slots.key[a]!]!.localeCompare(tr.strings[tr.slots.key[b]!]!, undefined, { numeric: true }),
    );
    for (const i of order) push({ kind: 'slot', slot: i }, ROW_H.slot);
  }
  const byType = new Map<number, number[]>();
  for (let i = 0; i < tr.objects.id.length; i++) {
    const t = tr.objects.type[i]!;
    let l = byType.get(t);
    if (!l) byType.set(t, (l = []));
    l.push(i);
  }
  for (const [type, list] of [...byType].sort((a, b) => tr.strings[a[0]]!.localeCompare(tr.strings[b[0]]!))) {
    const name = tr.strings[type]!;
    const folded = collapsed.includes(name);
    push({ kind: 'header', text: `${folded ? '▸' : '▾'} ${name} (${list.length} objects)`, type: name }, ROW_H.header);
    if (folded) continue;
    list.sort((a, b) => tr.objects.id[a]! - tr.objects.id[b]!);
    for (const i of list) push({ kind: 'obj', obj: i }, ROW_H.obj);
  }
  return { rows, height: y };
}

/** Index of the first row whose bottom is below y (rows are sorted by y). */
export function rowAt(rows: TrackRow[], y: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.y + rows[mid]!.h <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The band of object index `obj` covering t, or -1. */
export function bandAt(tr: ChangeTracks, obj: number, t: number): number {
  const b = tr.bands;
  for (let i = b.offset[obj]!; i < b.offset[obj + 1]!; i++) if (b.start[i]! <= t && t < b.end[i]!) return i;
  return -1;
}

/** What slot `slot` held at t: its band index, or -1. */
export function slotBandAt(tr: ChangeTracks, slot: number, t: number): number {
  const b = tr.slotBands;
  for (let i = b.offset[slot]!; i < b.offset[slot + 1]!; i++) if (b.start[i]! <= t && t < b.end[i]!) return i;
  return -1;
}

/** The counter's value at t (the last step at or before t). */
export function counterAt(tr: ChangeTracks, series: number, t: number): number {
  const c = tr.counters;
  let v = 0;
  for (let k = c.offset[series]!; k < c.offset[series + 1]! && c.t[k]! <= t; k++) v = c.v[k]!;
  return v;
}

export function counterMax(tr: ChangeTracks, series: number): number {
  const c = tr.counters;
  let m = 0;
  for (let k = c.offset[series]!; k < c.offset[series + 1]!; k++) m = Math.max(m, c.v[k]!);
  return m;
}

/** Short row label for the gutter. */
export function rowLabel(tr: ChangeTracks, r: TrackRow): string {
  switch (r.kind) {
    case 'header':
      return r.text;
    case 'task':
      return tr.task ? `pid ${tr.task.pid}` : '';
    case 'counter':
      return tr.strings[tr.counters.name[r.series]!]!;
    case 'slot':
      return tr.strings[tr.slots.key[r.slot]!]!.replace(/^map /, '');
    case 'obj':
      return `obj ${tr.objects.id[r.obj]}`;
  }
}

/**
 * The longest ownership band ("id|row y|middle t|owner label") and the longest filled slot band
 * ("slot key|row y|middle t|obj"), published on the canvas so a test can point at something real.
 */
export function findProbes(tr: ChangeTracks, rows: TrackRow[]): { obj: string; slot: string; leak: string } {
  const objY = new Map<number, number>();
  const slotY = new Map<number, number>();
  for (const r of rows) {
    if (r.kind === 'obj') objY.set(r.obj, r.y);
    else if (r.kind === 'slot') slotY.set(r.slot, r.y);
  }
  const b = tr.bands;
  let best = -1;
  for (let k = 0; k < b.obj.length; k++) if (best < 0 || b.end[k]! - b.start[k]! > b.end[best]! - b.start[best]!) best = k;
  const sb = tr.slotBands;
  let bestSlot = -1;
  for (let k = 0; k < sb.slot.length; k++) if (sb.obj[k]! > 0 && (bestSlot < 0 || sb.end[k]! - sb.start[k]! > sb.end[bestSlot]! - sb.start[bestSlot]!)) bestSlot = k;
  const obj = best < 0 ? '' : [tr.objects.id[b.obj[best]!], objY.get(b.obj[best]!), Math.round((b.start[best]! + b.end[best]!) / 2), tr.strings[b.label[best]!]].join('|');
  const slot = bestSlot < 0 ? '' : [tr.strings[tr.slots.key[sb.slot[bestSlot]!]!], slotY.get(sb.slot[bestSlot]!), Math.round((sb.start[bestSlot]! + sb.end[bestSlot]!) / 2), sb.obj[bestSlot]].join('|');
  // the first leaked band ("id|row y|middle t")
  const leakedKind = OWNER_KINDS.indexOf('leaked');
  let leak = '';
  for (let k = 0; k < b.obj.length && !leak; k++) {
    if (b.kind[k] === leakedKind) leak = [tr.objects.id[b.obj[k]!], objY.get(b.obj[k]!), Math.round((b.start[k]! + b.end[k]!) / 2)].join('|');
  }
  return { obj, slot, leak };
}

/** The pinned task's step at t, or -1. */
export function taskStepAt(tr: ChangeTracks, t: number): number {
  const task = tr.task;
  if (!task) return -1;
  let k = -1;
  while (k + 1 < task.t.length && task.t[k + 1]! <= t) k++;
  return k;
}

/** The pinned globals' counter rows as "name@row y@t:v,t:v" joined by ';' (published on the canvas for tests). */
export function pinnedRows(tr: ChangeTracks, rows: TrackRow[]): string {
  const c = tr.counters;
  const out: string[] = [];
  for (const r of rows) {
    if (r.kind !== 'counter' || !isGlobal(tr, r.series)) continue;
    const points: string[] = [];
    for (let k = c.offset[r.series]!; k < c.offset[r.series + 1]!; k++) points.push(`${c.t[k]}:${c.v[k]}`);
    out.push(`${tr.strings[c.name[r.series]!]}@${r.y}@${points.join(',')}`);
  }
  return out.join(';');
}

// The changeTracks query (protocol/change_tracks.ts): folds the events of a
// window onto the state at its start, over any Timeline (a live run's growing
// trace or an opened recording), into object lifetime bands, kptr slot
// contents and counter series. The state at t0 comes from stateAt(t0), which
// already includes the events at t0; the window's events after t0 follow.

import type { GraphRootSnapshot, OwnerRef, SimEvent, SimEventKind, SimSnapshot } from '../../model/events';
import { OWNER_KINDS, TASK_STATES, type ChangeTracks, type OwnerKindName } from '../../protocol/change_tracks';
import { localDsqCpu } from '../../sim/trace/dsq_ids';
import type { Timeline } from './timeline';
import { dsqName, ownerText } from '../../model/text';
import { globalSeries, MAX_GLOBAL_SAMPLES, withGlobalSeries } from './global_series';

/** The most events one answer reads; past it the tracks stop at the last event read (`truncated`). */
export const MAX_TRACK_EVENTS = 500_000;

const KINDS: SimEventKind[] = ['obj_new', 'obj_owner', 'obj_free', 'diagnostic', 'dsq_insert', 'dsq_remove', 'dsq_create'];

/** What a leak diagnostic's message names: "… returned still owning obj 17 (…)". */
export const LEAK_OBJ = /\bobj (\d+)\b/;


/** "map task_ctx[pid 42].stash" -> map "task_ctx", field "stash". */
export function slotParts(key: string): { map: string; field: string } {
  const m = /^map ([^[.]+)/.exec(key);
  const dot = key.lastIndexOf('.');
  return { map: m ? m[1]! : key, field: dot >= 0 ? key.slice(dot + 1) : '' };
}

class Strings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  of(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

interface ObjRow {
  id: number;
  type: string;
  born: number;
  died: number;
  leakedAt: number;
  program: string;
  line: number;
  /** The open band: since when, which kind, which label. */
  since: number;
  kind: OwnerKindName;
  label: string;
}

interface Series {
  name: string;
  group: 'root' | 'dsq' | 'type';
  t: number[];
  v: number[];
}

class Counters {
  readonly series = new Map<string, Series>();
  constructor(private readonly t0: number) {}
  /** Sets the value from t on (a step); the same instant overwrites. */
  set(group: Series['group'], name: string, t: number, v: number): void {
    const key = `${group}\0${name}`;
    let s = this.series.get(key);
    if (!s) {
      s = { name, group, t: [this.t0], v: [0] };
      this.series.set(key, s);
    }
    const last = s.t.length - 1;
    if (s.t[last] === t) s.v[last] = v;
    else if (s.v[last] !== v) {
      s.t.push(t);
      s.v.push(v);
    }
  }
  value(group: Series['group'], name: string): number {
    const s = this.series.get(`${group}\0${name}`);
    return s ? s.v[s.v.length - 1]! : 0;
  }
  add(group: Series['group'], name: string, t: number, d: number): void {
    this.set(group, name, t, Math.max(0, this.value(group, name) + d));
  }
}

function ownerKind(o: OwnerRef): OwnerKindName {
  return o.kind === 'freed' ? 'program' : o.kind;
}

/** A DSQ as the tracks name it: SCX_DSQ_LOCAL as the event CPU's LOCAL(n), else its recorded label, else the shared name. */
export function dsqOn(id: string, cpu: number, labels: Map<string, string>): string {
  const local = localDsqCpu(id, cpu);
  if (local !== null) return `LOCAL(${local})`;
  return labels.get(id) ?? dsqName(id);
}

/** The change tracks of [t0, t1) over `timeline`. */
export function changeTracks(timeline: Pick<Timeline, 'stateAt' | 'events' | 'keyframeGlobals'>, t0: number, t1: number, pid?: number, globals: readonly string[] = []): ChangeTracks {
  const start: SimSnapshot = timeline.stateAt(t0);
  const read = timeline.events(t0, t1, pid === undefined ? KINDS : [...KINDS, 'task_new', 'task_state', 'task_exit'], MAX_TRACK_EVENTS);
  let end = t1;
  if (read.truncated && read.events.length > 0) end = read.events[read.events.length - 1]!.t;
  let tracks = foldTracks(start, read.events.filter((e) => e.t < end), t0, end, read.truncated);
  // pinned globals: sampled at the keyframes (writes to globals are not events)
  if (globals.length > 0) tracks = withGlobalSeries(tracks, globalSeries(start, timeline.keyframeGlobals?.(t0, end, MAX_GLOBAL_SAMPLES) ?? [], globals, t0, end));
  if (pid !== undefined) {
    const task = taskTrack(start, read.events, pid, t0, end);
    if (task) {
      const index = new Map(tracks.strings.map((x, i) => [x, i]));
      const idx = (name: string): number => {
        if (!name) return -1;
        let i = index.get(name);
        if (i === undefined) {
          i = tracks.strings.push(name) - 1;
          index.set(name, i);
        }
        return i;
      };
      tracks.task = { pid, comm: task.comm, t: task.t, state: task.state, dsq: Int32Array.from(task.dsq, idx) };
    }
  }
  return tracks;
}

/**
 * A pinned task's state steps over [t0, t1): from its state at t0, then its own events; the DSQ it waits in (by
 * name, "" none) from dsq_insert/dsq_remove.
 */
export function taskTrack(start: SimSnapshot, events: SimEvent[], pid: number, t0: number, t1: number): { comm: string; t: Float64Array; state: Uint8Array; dsq: string[] } | undefined {
  const labels = new Map(start.dsqs.map((d) => [d.id, d.label]));
  const s0 = start.tasks.find((x) => x.pid === pid);
  let comm = s0?.comm;
  const t: number[] = [];
  const state: number[] = [];
  const dsq: string[] = [];
  let cur = s0 ? { state: s0.state as string, dsq: s0.state === 'runnable' && s0.dsq ? (labels.get(s0.dsq) ?? dsqName(s0.dsq)) : '' } : null;
  const step = (at: number): void => {
    if (!cur) return;
    if (t.length > 0 && t[t.length - 1] === at) {
      state[state.length - 1] = TASK_STATES.indexOf(cur.state as (typeof TASK_STATES)[number]);
      dsq[dsq.length - 1] = cur.dsq;
    } else {
      t.push(at);
      state.push(TASK_STATES.indexOf(cur.state as (typeof TASK_STATES)[number]));
      dsq.push(cur.dsq);
    }
  };
  step(t0);
  for (const e of events) {
    if (e.t <= t0 || e.t >= t1) continue;
    if (e.kind === 'task_new' && e.pid === pid) {
      comm = e.comm;
      cur = { state: 'new', dsq: '' };
    } else if (e.kind === 'task_state' && e.pid === pid && cur) {
      cur = { state: e.state, dsq: e.state === 'runnable' ? cur.dsq : '' };
    } else if (e.kind === 'task_exit' && e.pid === pid && cur) {
      cur = { state: 'exited', dsq: '' };
    } else if (e.kind === 'dsq_insert' && e.pid === pid && cur) {
      cur = { ...cur, dsq: dsqOn(e.dsq, e.cpu, labels) };
    } else if (e.kind === 'dsq_remove' && e.pid === pid && cur) {
      cur = { ...cur, dsq: '' };
    } else continue;
    step(e.t);
  }
  if (comm === undefined || t.length === 0) return undefined;
  return { comm, t: Float64Array.from(t), state: Uint8Array.from(state), dsq };
}

/**
 * The fold itself, from the state at t0 and the events of [t0, t1) (exported for tests). The state
 * already holds the effects of the events at t0: of those only leaks and allocation times are taken.
 */
export function foldTracks(start: SimSnapshot, events: SimEvent[], t0: number, t1: number, truncated = false): ChangeTracks {
  const strings = new Strings();
  const rows: ObjRow[] = [];
  const live = new Map<number, ObjRow>();
  const bands: { obj: number; start: number; end: number; kind: number; label: number }[] = [];
  const rowIndex = new Map<ObjRow, number>();
  const counters = new Counters(t0);

  const closeBand = (r: ObjRow, t: number): void => {
    if (t > r.since) bands.push({ obj: rowIndex.get(r)!, start: r.since, end: t, kind: OWNER_KINDS.indexOf(r.kind), label: strings.of(r.label) });
  };
  const openRow = (r: ObjRow): void => {
    rowIndex.set(r, rows.length);
    rows.push(r);
    live.set(r.id, r);
  };

  for (const h of start.heap) {
    const kind: OwnerKindName = ownerKind(h.owner);
    openRow({ id: h.id, type: h.type, born: NaN, died: NaN, leakedAt: NaN, program: h.site.program, line: h.site.line ?? 0, since: t0, kind, label: ownerText(h.owner) });
    counters.add('type', h.type, t0, 1);
  }
  // slots: the key's index, its open band
  const slotIdx = new Map<string, number>();
  const slotKeys: { key: string; map: string; field: string; obj: number; since: number }[] = [];
  const slotBands: { slot: number; start: number; end: number; obj: number }[] = [];
  const xchg: { slot: number; t: number; obj: number }[] = [];
  const slotOf = (key: string, map?: string, field?: string): number => {
    let i = slotIdx.get(key);
    if (i === undefined) {
      const p = slotParts(key);
      i = slotKeys.length;
      slotKeys.push({ key, map: map ?? p.map, field: field ?? p.field, obj: 0, since: t0 });
      slotIdx.set(key, i);
    }
    return i;
  };
  const setSlot = (i: number, t: number, obj: number, tick = true): void => {
    const s = slotKeys[i]!;
    if (t > s.since) slotBands.push({ slot: i, start: s.since, end: t, obj: s.obj });
    s.obj = obj;
    s.since = t;
    if (tick) xchg.push({ slot: i, t, obj });
  };
  for (const s of start.slots) slotKeys[slotOf(s.key, s.map, s.field)]!.obj = s.obj ?? 0;
  // the containers (roots, slots) holding each object, so a free lets go of them as replay does
  const held = new Map<number, OwnerRef[]>();
  const hold = (obj: number, o: OwnerRef): void => {
    if (o.kind !== 'rb_root' && o.kind !== 'list_head' && o.kind !== 'kptr') return;
    let l = held.get(obj);
    if (!l) held.set(obj, (l = []));
    l.push(o);
  };
  const release = (obj: number, o: OwnerRef): void => {
    const l = held.get(obj);
    const key = o.kind === 'kptr' ? o.slot : o.kind === 'rb_root' || o.kind === 'list_head' ? o.root : null;
    const i = l ? l.findIndex((x) => (x.kind === 'kptr' ? x.slot : x.kind === 'rb_root' || x.kind === 'list_head' ? x.root : null) === key) : -1;
    if (i >= 0) l!.splice(i, 1);
  };
  for (const s of start.slots) if (s.obj) hold(s.obj, { kind: 'kptr', slot: s.key });
  for (const r of start.roots) for (const n of r.nodes) hold(n, { kind: r.kind, root: r.key });

  const rootCount = (r: GraphRootSnapshot): void => counters.set('root', r.key, t0, r.nodes.length);
  for (const r of start.roots) rootCount(r);
  const dsqLabels = new Map<string, string>();
  for (const d of start.dsqs) {
    dsqLabels.set(d.id, d.label);
    if (localDsqCpu(d.id, -1) === null) counters.set('dsq', d.label, t0, d.tasks.length);
  }
  for (const c of start.cpus) if (c.local.length > 0) counters.set('dsq', `LOCAL(${c.cpu})`, t0, c.local.length);

  for (const e of events) {
    if (e.t <= t0) {
      const r = e.kind === 'obj_new' ? live.get(e.obj) : undefined;
      if (r) r.born = e.t;
      if (e.kind !== 'diagnostic') continue;
    }
    switch (e.kind) {
      case 'obj_new': {
        const r: ObjRow = { id: e.obj, type: e.type, born: e.t, died: NaN, leakedAt: NaN, program: e.site.program, line: e.site.line ?? 0, since: e.t, kind: 'program', label: ownerText({ kind: 'program', program: e.site.program, cpu: -1 }) };
        const old = live.get(e.obj);
        if (old) closeBand(old, e.t);
        openRow(r);
        counters.add('type', e.type, e.t, 1);
        break;
      }
      case 'obj_owner': {
        const r = live.get(e.obj);
        // a release (to 'refcount') leaves the others holding it; the band's label tracks the holder that is left
        if (r) {
          closeBand(r, e.t);
          r.since = e.t;
          r.kind = Number.isNaN(r.leakedAt) ? ownerKind(e.to) : 'leaked';
          r.label = ownerText(e.to);
        }
        release(e.obj, e.from);
        hold(e.obj, e.to);
        if (e.from.kind === 'rb_root' || e.from.kind === 'list_head') counters.add('root', e.from.root, e.t, -1);
        if (e.to.kind === 'rb_root' || e.to.kind === 'list_head') counters.add('root', e.to.root, e.t, 1);
        if (e.from.kind === 'kptr') setSlot(slotOf(e.from.slot), e.t, 0);
        if (e.to.kind === 'kptr') setSlot(slotOf(e.to.slot), e.t, e.obj);
        break;
      }
      case 'obj_free': {
        for (const o of held.get(e.obj) ?? []) {
          if (o.kind === 'rb_root' || o.kind === 'list_head') counters.add('root', o.root, e.t, -1);
          else if (o.kind === 'kptr') {
            const i = slotOf(o.slot);
            if (slotKeys[i]!.obj === e.obj) setSlot(i, e.t, 0, false);
          }
        }
        held.delete(e.obj);
        const r = live.get(e.obj);
        if (r) {
          closeBand(r, e.t);
          r.died = e.t;
          r.since = e.t;
          live.delete(e.obj);
          counters.add('type', r.type, e.t, -1);
        }
        break;
      }
      case 'diagnostic': {
        if (e.diag.kind !== 'leak') break;
        const m = LEAK_OBJ.exec(e.diag.message);
        const r = m ? live.get(Number(m[1])) : undefined;
        if (r && Number.isNaN(r.leakedAt)) {
          closeBand(r, e.t);
          r.leakedAt = e.t;
          r.since = e.t;
          r.kind = 'leaked';
        }
        break;
      }
      case 'dsq_create':
        dsqLabels.set(e.dsq, e.name);
        break;
      case 'dsq_insert':
        counters.add('dsq', dsqOn(e.dsq, e.cpu, dsqLabels), e.t, 1);
        break;
      case 'dsq_remove':
        counters.add('dsq', dsqOn(e.dsq, e.cpu, dsqLabels), e.t, -1);
        break;
      default:
        break;
    }
  }
  for (const r of live.values()) closeBand(r, t1);
  for (let i = 0; i < slotKeys.length; i++) {
    const s = slotKeys[i]!;
    if (t1 > s.since) slotBands.push({ slot: i, start: s.since, end: t1, obj: s.obj });
  }

  // grouped per row, in time order within it (a stable sort keeps the order of same-start entries)
  bands.sort((a, b) => a.obj - b.obj || a.start - b.start);
  slotBands.sort((a, b) => a.slot - b.slot || a.start - b.start);
  xchg.sort((a, b) => a.slot - b.slot || a.t - b.t);

  const series = [...counters.series.values()].sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name, undefined, { numeric: true }));
  const offset = new Int32Array(series.length + 1);
  let n = 0;
  series.forEach((s, i) => {
    offset[i] = n;
    n += s.t.length;
  });
  offset[series.length] = n;

  return {
    t0,
    t1,
    strings: strings.list,
    objects: {
      id: Int32Array.from(rows, (r) => r.id),
      type: Int32Array.from(rows, (r) => strings.of(r.type)),
      born: Float64Array.from(rows, (r) => r.born),
      died: Float64Array.from(rows, (r) => r.died),
      leakedAt: Float64Array.from(rows, (r) => r.leakedAt),
      siteProgram: Int32Array.from(rows, (r) => strings.of(r.program)),
      siteLine: Int32Array.from(rows, (r) => r.line),
    },
    bands: {
      obj: Int32Array.from(bands, (b) => b.obj),
      start: Float64Array.from(bands, (b) => b.start),
      end: Float64Array.from(bands, (b) => b.end),
      kind: Uint8Array.from(bands, (b) => b.kind),
      label: Int32Array.from(bands, (b) => b.label),
      offset: offsets(bands.map((b) => b.obj), rows.length),
    },
    slots: {
      key: Int32Array.from(slotKeys, (s) => strings.of(s.key)),
      map: Int32Array.from(slotKeys, (s) => strings.of(s.map)),
      field: Int32Array.from(slotKeys, (s) => strings.of(s.field)),
    },
    slotBands: {
      slot: Int32Array.from(slotBands, (b) => b.slot),
      start: Float64Array.from(slotBands, (b) => b.start),
      end: Float64Array.from(slotBands, (b) => b.end),
      obj: Int32Array.from(slotBands, (b) => b.obj),
      offset: offsets(slotBands.map((b) => b.slot), slotKeys.length),
    },
    xchg: {
      slot: Int32Array.from(xchg, (x) => x.slot),
      t: Float64Array.from(xchg, (x) => x.t),
      obj: Int32Array.from(xchg, (x) => x.obj),
      offset: offsets(xchg.map((x) => x.slot), slotKeys.length),
    },
    counters: {
      name: Int32Array.from(series, (s) => strings.of(s.name)),
      group: Int32Array.from(series, (s) => strings.of(s.group)),
      offset,
      t: Float64Array.from(series.flatMap((s) => s.t)),
      v: Float64Array.from(series.flatMap((s) => s.v)),
    },
    truncated,
  };
}

/** For keys sorted ascending in 0..n-1: out[i] .. out[i+1] is the run of key i. */
function offsets(keys: number[], n: number): Int32Array {
  const out = new Int32Array(n + 1);
  for (const k of keys) out[k + 1]!++;
  for (let i = 0; i < n; i++) out[i + 1]! += out[i]!;
  return out;
}

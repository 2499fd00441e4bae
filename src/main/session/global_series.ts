// Pinned global variables as counter series of the change tracks. Writes to
// globals are not events (the VM stores to .bss/.data directly), so the trace
// knows a global's value only at each keyframe (one per chunk) and, in a live
// run, at the instant reached: the series is the value at t0, then a step at
// every keyframe inside the window. The UI says the values are sampled.

import type { GlobalValueSnapshot, SimSnapshot } from '../../model/events';
import type { ChangeTracks } from '../../protocol/change_tracks';

/** At most this many keyframes are read per answer (evenly picked when the window holds more). */
export const MAX_GLOBAL_SAMPLES = 400;

/** Keyframe times and the globals they hold, over [t0, t1), at most `max` of them. */
export type KeyframeGlobals = (t0: number, t1: number, max: number) => { t: number; globals: GlobalValueSnapshot[] }[];

export interface GlobalSeries {
  name: string;
  t: number[];
  v: number[];
}

/** A global's value as a number: the snapshot's decimal for 1/2/4/8-byte scalars; NaN for anything else. */
export function globalNumber(globals: readonly GlobalValueSnapshot[] | undefined, name: string): number {
  const g = globals?.find((x) => x.name === name);
  return g && /^-?\d+$/.test(g.value) ? Number(g.value) : NaN;
}

/** Step series of the pinned `names` from the state at t0 and the keyframes in (t0, t1). Unknown or non-numeric names give no series. */
export function globalSeries(start: SimSnapshot, keyframes: { t: number; globals: GlobalValueSnapshot[] }[], names: readonly string[], t0: number, t1: number): GlobalSeries[] {
  const out: GlobalSeries[] = [];
  for (const name of names) {
    const v0 = globalNumber(start.globals, name);
    if (Number.isNaN(v0)) continue;
    const s: GlobalSeries = { name, t: [t0], v: [v0] };
    for (const k of keyframes) {
      if (k.t <= t0 || k.t >= t1) continue;
      const v = globalNumber(k.globals, name);
      if (Number.isNaN(v) || v === s.v[s.v.length - 1]) continue;
      s.t.push(k.t);
      s.v.push(v);
    }
    out.push(s);
  }
  return out;
}

/** The tracks with `series` appended as counters of group 'global'. */
export function withGlobalSeries(tr: ChangeTracks, series: GlobalSeries[]): ChangeTracks {
  if (series.length === 0) return tr;
  const strings = [...tr.strings];
  const index = new Map(strings.map((s, i) => [s, i]));
  const of = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      index.set(s, i);
    }
    return i;
  };
  const c = tr.counters;
  const n = c.name.length;
  const points = series.reduce((k, s) => k + s.t.length, 0);
  const name = new Int32Array(n + series.length);
  const group = new Int32Array(n + series.length);
  const offset = new Int32Array(n + series.length + 1);
  const t = new Float64Array(c.t.length + points);
  const v = new Float64Array(c.v.length + points);
  name.set(c.name);
  group.set(c.group);
  offset.set(c.offset.subarray(0, n + 1));
  t.set(c.t);
  v.set(c.v);
  let at = c.t.length;
  series.forEach((s, i) => {
    name[n + i] = of(s.name);
    group[n + i] = of('global');
    t.set(s.t, at);
    v.set(s.v, at);
    at += s.t.length;
    offset[n + i + 1] = at;
  });
  return { ...tr, strings, counters: { name, group, offset, t, v } };
}

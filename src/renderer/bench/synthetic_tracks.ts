// The change-tracks benchmark's data: a seeded, synthetic set of heap
// objects (each with a few ownership bands: program, rbtree, list, kptr
// slot, refcount), kptr slots with xchg ticks and counter series over a run,
// answered per window like the session's changeTracks query (objects alive
// in the window, bands and series clipped to it). Never in normal use.
import { OWNER_KINDS, type ChangeTracks } from '../../protocol/change_tracks';

/** xorshift32: deterministic across runs. */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

interface Obj {
  id: number;
  type: number;
  born: number;
  died: number;
  bands: { start: number; end: number; kind: number; label: number }[];
}

export interface SyntheticTracks {
  durationNs: number;
  /** The answer for [t0, t1), shaped like the session's. */
  window(t0: number, t1: number): ChangeTracks;
}

/** `objects` heap objects of 2 types over `durationNs`, `slots` kptr slots, `counters` step series of `steps` points each. */
export function syntheticTracks(objects: number, durationNs: number, opts: { slots?: number; counters?: number; steps?: number; seed?: number } = {}): SyntheticTracks {
  const r = rng(opts.seed ?? 7);
  const strings = ['struct task_node', 'struct task_ctx', 'program', 'rbtree .data.queue', 'list .data.fifo', 'refcount 2'];
  const nSlots = opts.slots ?? 64;
  for (let s = 0; s < nSlots; s++) strings.push(`map task_stashes[pid ${s + 1}].tctx`, 'task_stashes', 'tctx');
  const slotKey = (s: number) => 6 + 3 * s;
  const objs: Obj[] = [];
  for (let i = 0; i < objects; i++) {
    // a third live the whole run; the rest are born and freed inside it
    const whole = r() < 0.33;
    const born = whole ? 0 : r() * durationNs;
    const died = whole ? durationNs : Math.min(durationNs, born + r() * r() * durationNs * 0.5);
    const bands: Obj['bands'] = [];
    let t = born;
    while (t < died) {
      const len = Math.min(died - t, (died - born) * (0.05 + r() * 0.4));
      const k = Math.floor(r() * 5); // program, rb_root, list_head, kptr, refcount
      const label = k === 0 ? 2 : k === 1 ? 3 : k === 2 ? 4 : k === 3 ? slotKey(Math.floor(r() * nSlots)) : 5;
      bands.push({ start: t, end: t + len, kind: k, label });
      t += len;
    }
    objs.push({ id: i + 1, type: i % 3 === 0 ? 1 : 0, born, died, bands });
  }
  // slot contents: exchanges at random instants
  const slotTicks = Array.from({ length: nSlots }, () => Array.from({ length: 40 }, () => r() * durationNs).sort((a, b) => a - b));
  const nCounters = opts.counters ?? 66;
  const steps = opts.steps ?? 2000;
  const series = Array.from({ length: nCounters }, (_, c) => {
    strings.push(c < 64 ? `LOCAL(${c})` : c === 64 ? '.data.queue' : 'struct task_node');
    const name = strings.length - 1;
    const t = Array.from({ length: steps }, (_, k) => (k / steps) * durationNs);
    let v = 0;
    const vs = t.map(() => (v = Math.max(0, v + Math.round((r() - 0.5) * 4))));
    return { name, group: c < 64 ? 'dsq' : c === 64 ? 'root' : 'type', t, v: vs };
  });
  for (const g of ['dsq', 'root', 'type']) strings.push(g);
  const groupIndex = (g: string) => strings.lastIndexOf(g);

  function window(t0: number, t1: number): ChangeTracks {
    const live = objs.filter((o) => o.born < t1 && o.died > t0);
    const bands: { obj: number; start: number; end: number; kind: number; label: number }[] = [];
    const offset = new Int32Array(live.length + 1);
    live.forEach((o, i) => {
      offset[i] = bands.length;
      for (const b of o.bands) if (b.end > t0 && b.start < t1) bands.push({ obj: i, start: Math.max(t0, b.start), end: Math.min(t1, b.end), kind: b.kind, label: b.label });
    });
    offset[live.length] = bands.length;
    const slotBands: { slot: number; start: number; end: number; obj: number }[] = [];
    const xchg: { slot: number; t: number; obj: number }[] = [];
    const sbOff = new Int32Array(nSlots + 1);
    const xOff = new Int32Array(nSlots + 1);
    for (let s = 0; s < nSlots; s++) {
      sbOff[s] = slotBands.length;
      xOff[s] = xchg.length;
      const ticks = slotTicks[s]!;
      let from = t0;
      let k = 0;
      while (k < ticks.length && ticks[k]! <= t0) k++;
      for (; k < ticks.length && ticks[k]! < t1; k++) {
        slotBands.push({ slot: s, start: from, end: ticks[k]!, obj: ((s + k) % objects) + 1 });
        xchg.push({ slot: s, t: ticks[k]!, obj: ((s + k + 1) % objects) + 1 });
        from = ticks[k]!;
      }
      slotBands.push({ slot: s, start: from, end: t1, obj: ((s + k) % objects) + 1 });
    }
    sbOff[nSlots] = slotBands.length;
    xOff[nSlots] = xchg.length;
    const ct: number[] = [];
    const cv: number[] = [];
    const cOff = new Int32Array(series.length + 1);
    series.forEach((s, i) => {
      cOff[i] = ct.length;
      let k = 0;
      while (k + 1 < s.t.length && s.t[k + 1]! <= t0) k++;
      ct.push(t0);
      cv.push(s.v[k]!);
      for (k++; k < s.t.length && s.t[k]! < t1; k++) {
        ct.push(s.t[k]!);
        cv.push(s.v[k]!);
      }
    });
    cOff[series.length] = ct.length;
    return {
      t0,
      t1,
      strings,
      objects: {
        id: Int32Array.from(live, (o) => o.id),
        type: Int32Array.from(live, (o) => o.type),
        born: Float64Array.from(live, (o) => (o.born >= t0 ? o.born : NaN)),
        died: Float64Array.from(live, (o) => (o.died < t1 ? o.died : NaN)),
        leakedAt: new Float64Array(live.length).fill(NaN),
        siteProgram: new Int32Array(live.length).fill(2),
        siteLine: new Int32Array(live.length),
      },
      bands: {
        obj: Int32Array.from(bands, (b) => b.obj),
        start: Float64Array.from(bands, (b) => b.start),
        end: Float64Array.from(bands, (b) => b.end),
        kind: Uint8Array.from(bands, (b) => Math.min(b.kind, OWNER_KINDS.length - 1)),
        label: Int32Array.from(bands, (b) => b.label),
        offset,
      },
      slots: { key: Int32Array.from({ length: nSlots }, (_, s) => slotKey(s)), map: Int32Array.from({ length: nSlots }, (_, s) => slotKey(s) + 1), field: Int32Array.from({ length: nSlots }, (_, s) => slotKey(s) + 2) },
      slotBands: { slot: Int32Array.from(slotBands, (b) => b.slot), start: Float64Array.from(slotBands, (b) => b.start), end: Float64Array.from(slotBands, (b) => b.end), obj: Int32Array.from(slotBands, (b) => b.obj), offset: sbOff },
      xchg: { slot: Int32Array.from(xchg, (x) => x.slot), t: Float64Array.from(xchg, (x) => x.t), obj: Int32Array.from(xchg, (x) => x.obj), offset: xOff },
      counters: { name: Int32Array.from(series, (s) => s.name), group: Int32Array.from(series, (s) => groupIndex(s.group)), offset: cOff, t: Float64Array.from(ct), v: Float64Array.from(cv) },
      truncated: false,
    };
  }
  return { durationNs, window };
}

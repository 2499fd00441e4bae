// DSQ depth over time, for the timeline's counter tracks and the Chrome
// export: one step series per DSQ (local DSQs under their LOCAL_ON id), built
// chunk by chunk from inserts and removes, queried per window with at most
// one point per pixel (the bucket's maximum, so short bursts stay visible).

import type { SimSnapshot } from '../../model/events';
import type { ChunkEvents } from './event_decoder';
import { localDsqCpu, localDsqId } from './dsq_ids';
import { GrowableF64, GrowableI32, upperBoundF64 } from './growable';
import { K } from './kinds';
import { dsqName } from '../../model/text';

export interface CounterSeries {
  dsq: string;
  label: string;
  /** Step series: value holds from t[i] until t[i+1]. */
  t: Float64Array;
  value: Int32Array;
}

class Series {
  t = new GrowableF64();
  value = new GrowableI32();
  depth = 0;
  constructor(
    readonly dsq: string,
    public label: string,
  ) {}
  set(t: number, depth: number): void {
    this.depth = depth;
    if (this.t.length > 0 && this.t.data[this.t.length - 1] === t) this.value.data[this.value.length - 1] = depth;
    else {
      this.t.push(t);
      this.value.push(depth);
    }
  }
}

export class DsqCounterIndex {
  private series = new Map<string, Series>();
  private started = false;

  private get(dsq: string): Series {
    let s = this.series.get(dsq);
    if (!s) {
      s = new Series(dsq, dsqName(dsq));
      this.series.set(dsq, s);
    }
    return s;
  }

  /** The first chunk's keyframe gives the depths the trace starts with. */
  start(kf: SimSnapshot): void {
    this.started = true;
    for (const d of kf.dsqs) {
      const s = this.get(d.id);
      s.label = d.label;
      s.set(kf.t, d.tasks.length);
    }
    for (const c of kf.cpus) this.get(localDsqId(c.cpu)).set(kf.t, c.local.length);
  }

  get isStarted(): boolean {
    return this.started;
  }

  consume(ev: ChunkEvents): void {
    const INS = K.dsq_insert;
    const REM = K.dsq_remove;
    const CREATE = K.dsq_create;
    for (let i = 0; i < ev.count; i++) {
      const k = ev.kind[i]!;
      if (k === CREATE) {
        const e = ev.event(i);
        if (e.kind === 'dsq_create') {
          const s = this.get(e.dsq);
          s.label = e.name;
          if (s.t.length === 0) s.set(e.t, 0);
        }
        continue;
      }
      if (k !== INS && k !== REM) continue;
      let dsq = ev.dsq(i);
      const local = localDsqCpu(dsq, ev.cpu[i]!);
      if (local !== null) dsq = localDsqId(local);
      const s = this.get(dsq);
      s.set(ev.t[i]!, Math.max(0, s.depth + (k === INS ? 1 : -1)));
    }
  }

  query(t0: number, t1: number, nsPerPx: number, dsqs?: readonly string[]): CounterSeries[] {
    const out: CounterSeries[] = [];
    for (const s of this.series.values()) {
      if (dsqs && !dsqs.includes(s.dsq)) continue;
      const t: number[] = [];
      const value: number[] = [];
      const n = s.t.length;
      // The value in force at t0, then every change inside the window.
      let i = Math.max(0, upperBoundF64(s.t.data, n, t0) - 1);
      let bucket = -1;
      for (; i < n && s.t.data[i]! < t1; i++) {
        const ti = Math.max(t0, s.t.data[i]!);
        const v = s.value.data[i]!;
        const b = nsPerPx > 0 ? Math.floor((ti - t0) / nsPerPx) : i;
        if (b === bucket && t.length > 0) {
          if (v > value[value.length - 1]!) value[value.length - 1] = v;
          continue;
        }
        bucket = b;
        t.push(ti);
        value.push(v);
      }
      if (t.length > 0) out.push({ dsq: s.dsq, label: s.label, t: Float64Array.from(t), value: Int32Array.from(value) });
    }
    return out;
  }
}

// Per-CPU run slices for the timeline, built once from switch events (chunk
// by chunk, so a growing live trace extends it) and queried per window with
// level of detail: slices shorter than a pixel that sit less than a pixel
// apart are merged into one, as Perfetto's slice mipmap does, so a query
// returns at most about one slice per pixel per CPU.

import type { ChunkMeta } from './chunk_codec';
import type { ChunkEvents } from './event_decoder';
import { GrowableF64, GrowableI32, upperBoundF64 } from './growable';
import { K } from './kinds';

/** Columnar run slices, sorted by cpu then start. */
export interface RunSlices {
  cpu: Uint16Array;
  start: Float64Array;
  end: Float64Array;
  /** The task that ran; for a merged slice, the task of its longest part. */
  pid: Int32Array;
  /** How many original slices each entry stands for (1 = not merged). */
  count: Uint32Array;
}

class CpuSlices {
  start = new GrowableF64();
  end = new GrowableF64();
  pid = new GrowableI32();
  openStart = 0;
  openPid = 0;
}

export class RunSliceIndex {
  private cpus: CpuSlices[] = [];
  private started = false;
  /** Time of the last event consumed: where still-running slices end for now. */
  lastT = 0;

  private cpu(c: number): CpuSlices {
    while (this.cpus.length <= c) this.cpus.push(new CpuSlices());
    return this.cpus[c]!;
  }

  consume(meta: ChunkMeta, ev: ChunkEvents): void {
    if (!this.started) {
      this.started = true;
      meta.curr.forEach((pid, c) => {
        const s = this.cpu(c);
        s.openPid = pid;
        s.openStart = meta.tBase;
      });
      this.lastT = meta.tBase;
    }
    const SWITCH = K.switch;
    for (let i = 0; i < ev.count; i++) {
      if (ev.kind[i] !== SWITCH) continue;
      const t = ev.t[i]!;
      const s = this.cpu(ev.cpu[i]!);
      if (s.openPid !== 0 && t > s.openStart) {
        s.start.push(s.openStart);
        s.end.push(t);
        s.pid.push(s.openPid);
      }
      s.openPid = ev.nextPid(i);
      s.openStart = t;
    }
    if (ev.count > 0) this.lastT = Math.max(this.lastT, ev.t[ev.count - 1]!);
  }

  query(t0: number, t1: number, nsPerPx: number): RunSlices {
    const cpu: number[] = [];
    const start: number[] = [];
    const end: number[] = [];
    const pid: number[] = [];
    const count: number[] = [];
    const px = Math.max(0, nsPerPx);
    this.cpus.forEach((s, c) => {
      let mStart = 0;
      let mEnd = -Infinity;
      let mPid = 0;
      let mLongest = -1;
      let mCount = 0;
      const flush = (): void => {
        if (mCount === 0) return;
        cpu.push(c);
        start.push(mStart);
        end.push(mEnd);
        pid.push(mPid);
        count.push(mCount);
        mCount = 0;
      };
      const visit = (a: number, b: number, p: number): void => {
        const dur = b - a;
        if (mCount > 0 && dur < px && a - mEnd < px && mEnd - mStart < px) {
          mEnd = b;
          mCount++;
          if (dur > mLongest) {
            mLongest = dur;
            mPid = p;
          }
          return;
        }
        flush();
        mStart = a;
        mEnd = b;
        mPid = p;
        mLongest = dur;
        mCount = 1;
      };
      // Slices on one CPU do not overlap, so ends are sorted like starts.
      for (let i = upperBoundF64(s.end.data, s.end.length, t0); i < s.start.length && s.start.data[i]! < t1; i++) {
        visit(s.start.data[i]!, s.end.data[i]!, s.pid.data[i]!);
      }
      if (s.openPid !== 0 && s.openStart < t1 && this.lastT > t0 && this.lastT > s.openStart) visit(s.openStart, this.lastT, s.openPid);
      flush();
    });
    return {
      cpu: Uint16Array.from(cpu),
      start: Float64Array.from(start),
      end: Float64Array.from(end),
      pid: Int32Array.from(pid),
      count: Uint32Array.from(count),
    };
  }
}

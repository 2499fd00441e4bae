// One reader follows a recording while it is written (the live view), and
// the timeline's level-of-detail queries agree with the raw events.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimEvent } from '../../model/events';
import { TraceError } from './errors';
import { TraceReader } from './reader';
import { TraceRecorder } from './recorder';
import { recordToy, toyInfo } from './testing/record_toy';
import { ToySimulation } from './testing/toy_simulation';
import { withoutFieldsAt } from './testing/live_view';

const dir = mkdtempSync(join(tmpdir(), 'scxray-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('live recording', () => {
  it('refresh() picks up chunks as they are flushed, then the footer', () => {
    const path = join(dir, 'live.scxtrace');
    const sim = new ToySimulation(2, 4);
    const rec = new TraceRecorder(path, toyInfo(2, 4), { snapshot: () => sim.snapshot(), chunkEvents: 10_000 });
    sim.on((e) => rec.event(e));
    sim.start();
    const r = TraceReader.open(path);
    expect(r.chunkCount).toBe(0);
    expect(() => r.stateAt(0)).toThrow(TraceError);
    for (let i = 0; i < 200; i++) sim.step();
    expect(r.refresh()).toBe(0); // nothing flushed yet
    rec.flush();
    expect(r.refresh()).toBe(1);
    expect(r.eventCount).toBe(rec.eventCount);
    expect(withoutFieldsAt(r.stateAt(sim.t))).toEqual(sim.snapshot());
    for (let i = 0; i < 200; i++) sim.step();
    rec.flush();
    expect(r.refresh()).toBe(1);
    expect(withoutFieldsAt(r.stateAt(sim.t))).toEqual(sim.snapshot());
    expect(r.recovery.complete).toBe(false);
    rec.close();
    r.refresh();
    expect(r.recovery.complete).toBe(true);
    expect(r.eventCount).toBe(rec.eventCount);
    r.close();
  });
});

interface Slice {
  cpu: number;
  start: number;
  end: number;
  pid: number;
}

function naiveSlices(events: SimEvent[], end: number): Slice[] {
  const open = new Map<number, { pid: number; start: number }>();
  const out: Slice[] = [];
  for (const e of events) {
    if (e.kind !== 'switch') continue;
    const o = open.get(e.cpu);
    if (o && o.pid !== 0 && e.t > o.start) out.push({ cpu: e.cpu, start: o.start, end: e.t, pid: o.pid });
    open.set(e.cpu, { pid: e.nextPid, start: e.t });
  }
  for (const [cpu, o] of open) if (o.pid !== 0 && end > o.start) out.push({ cpu, start: o.start, end, pid: o.pid });
  return out.sort((a, b) => a.cpu - b.cpu || a.start - b.start);
}

describe('recorder edge cases', () => {
  it('a failing snapshot provider stops the recorder but leaves a complete, readable file', () => {
    const path = join(dir, 'broken.scxtrace');
    let calls = 0;
    const sim = new ToySimulation(2, 8);
    const rec = new TraceRecorder(path, toyInfo(2, 8), {
      chunkEvents: 50,
      snapshot: () => {
        if (++calls === 3) throw new Error('boom');
        return sim.snapshot();
      },
    });
    sim.on((e) => rec.event(e));
    sim.start();
    expect(() => {
      for (let i = 0; i < 500; i++) sim.step();
    }).toThrow(/snapshot provider failed: boom/);
    expect(() => rec.flush()).toThrow(/recorder stopped/);
    rec.close();
    const r = TraceReader.open(path);
    expect(r.recovery.complete).toBe(true);
    expect(r.chunkCount).toBe(2);
    expect(r.eventCount).toBe(100);
    r.close();
  });

  it('refuses events out of time order and after close', () => {
    const path = join(dir, 'order.scxtrace');
    const rec = new TraceRecorder(path, toyInfo(1, 1));
    rec.event({ t: 10, kind: 'idle', cpu: 0, idle: false });
    expect(() => rec.event({ t: 9, kind: 'idle', cpu: 0, idle: true })).toThrow(/time order/);
    rec.close();
    expect(() => rec.event({ t: 11, kind: 'idle', cpu: 0, idle: true })).toThrow(/closed/);
    expect(TraceReader.open(path).eventCount).toBe(1);
  });
});

describe('level-of-detail queries', () => {
  const path = join(dir, 'lod.scxtrace');
  recordToy(path, { steps: 4000, recorder: { chunkEvents: 300 } });
  const r = TraceReader.open(path);
  const events = r.events(0, Infinity);
  const expected = naiveSlices(events, r.endTime);

  it('runSlices at full detail are exactly the switch-to-switch slices', () => {
    const s = r.runSlices(0, Infinity, 0);
    const got: Slice[] = Array.from(s.cpu, (cpu, i) => ({ cpu, start: s.start[i]!, end: s.end[i]!, pid: s.pid[i]! }));
    expect(got).toEqual(expected);
    expect([...s.count].every((c) => c === 1)).toBe(true);
  });

  it('zoomed out, sub-pixel slices merge to about one per pixel and keep their total', () => {
    const t0 = r.startTime + r.duration / 4;
    const t1 = r.startTime + (3 * r.duration) / 4;
    const px = (t1 - t0) / 50;
    const s = r.runSlices(t0, t1, px);
    const inWindow = expected.filter((x) => x.end > t0 && x.start < t1);
    expect([...s.count].reduce((a, b) => a + b, 0)).toBe(inWindow.length);
    for (let cpu = 0; cpu < 4; cpu++) {
      const n = [...s.cpu].filter((c) => c === cpu).length;
      expect(n).toBeLessThanOrEqual(2 * 50 + 2);
    }
    expect(s.count.some((c) => c > 1)).toBe(true);
    for (let i = 0; i < s.cpu.length; i++) {
      expect(s.end[i]!).toBeGreaterThan(s.start[i]!);
      const members = inWindow.filter((x) => x.cpu === s.cpu[i] && x.start >= s.start[i]! && x.end <= s.end[i]!);
      expect(members.length).toBe(s.count[i]);
      expect(members.map((m) => m.pid)).toContain(s.pid[i]);
    }
  });

  it('DSQ depth counters agree with the replayed state', () => {
    const all = r.counters(0, Infinity, 0);
    const global = all.find((c) => c.label === 'GLOBAL')!;
    const user = all.find((c) => c.dsq === '0x64')!;
    expect(global).toBeDefined();
    expect(user.label).toBe('100');
    const valueAt = (series: { t: Float64Array; value: Int32Array }, t: number): number => {
      let v = 0;
      for (let i = 0; i < series.t.length && series.t[i]! <= t; i++) v = series.value[i]!;
      return v;
    };
    for (let k = 1; k < 20; k++) {
      const t = Math.floor(r.startTime + (r.duration * k) / 20);
      const s = r.stateAt(t);
      expect(valueAt(global, t)).toBe(s.dsqs.find((d) => d.label === 'GLOBAL')?.tasks.length ?? 0);
      expect(valueAt(user, t)).toBe(s.dsqs.find((d) => d.id === '0x64')!.tasks.length);
      const local1 = all.find((c) => c.label === 'LOCAL(1)')!;
      expect(valueAt(local1, t)).toBe(s.cpus[1]!.local.length);
    }
    const coarse = r.counters(r.startTime, r.endTime, r.duration / 10, ['0x64']);
    expect(coarse.length).toBe(1);
    expect(coarse[0]!.t.length).toBeLessThanOrEqual(11);
    expect(Math.max(...coarse[0]!.value)).toBe(Math.max(...user.value));
  });
});

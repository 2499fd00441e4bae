// Pinned globals as counter series: over a recorded fifo run (its programs
// count direct and global dispatches in .bss), the series of a pinned global
// is the value at t0 and then the value of every keyframe in the window, and
// the other counters are left as they were; a live run answers it too.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChangeTracks } from '../../protocol/change_tracks';
import { Simulation } from '../../sim/simulation';
import { exampleScheduler, REPO_ROOT } from '../../sim/testing/fixtures';
import { objectLabels } from '../../sim/trace/labels';
import { TraceReader } from '../../sim/trace/reader';
import { TraceRecorder } from '../../sim/trace/recorder';
import { changeTracks } from './change_tracks';
import { globalNumber } from './global_series';
import { Session } from './session';
import { readerTimeline } from './timeline';

const dir = mkdtempSync(join(tmpdir(), 'scxray-globals-series-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function series(tr: ChangeTracks, group: string, name: string): { t: number[]; v: number[] } | undefined {
  for (let i = 0; i < tr.counters.name.length; i++) {
    if (tr.strings[tr.counters.group[i]!] !== group || tr.strings[tr.counters.name[i]!] !== name) continue;
    const k0 = tr.counters.offset[i]!;
    const k1 = tr.counters.offset[i + 1]!;
    return { t: Array.from(tr.counters.t.subarray(k0, k1)), v: Array.from(tr.counters.v.subarray(k0, k1)) };
  }
  return undefined;
}

describe('pinned globals in changeTracks', () => {
  it('steps through the keyframes\' values, from the value at t0', () => {
    const sim = new Simulation({ objectBytes: exampleScheduler('fifo'), file: 'fifo.bpf.o', workload: 'interactive', cpus: 2, seed: 3 });
    const path = join(dir, 'fifo.scxtrace');
    const rec = new TraceRecorder(path, sim.info, { labels: objectLabels(sim.object), chunkEvents: 60, snapshot: () => sim.snapshot() });
    sim.on((e) => rec.event(e));
    sim.runFor(60_000_000);
    rec.close();
    const reader = TraceReader.open(path);
    try {
      const t0 = 10_000_000;
      const t1 = 50_000_000;
      const timeline = readerTimeline(reader);
      const plain = changeTracks(timeline, t0, t1);
      const tr = changeTracks(timeline, t0, t1, undefined, ['nr_direct', 'nr_global', 'no_such_var']);
      const direct = series(tr, 'global', 'nr_direct')!;
      expect(direct).toBeDefined();
      expect(series(tr, 'global', 'no_such_var')).toBeUndefined();
      // the other counters are the same as without pins
      expect(tr.counters.name.length).toBe(plain.counters.name.length + 2);
      expect(series(tr, 'dsq', 'GLOBAL')).toEqual(series(plain, 'dsq', 'GLOBAL'));
      // the value at t0, then each keyframe strictly inside the window where it changed
      expect(direct.t[0]).toBe(t0);
      expect(direct.v[0]).toBe(globalNumber(reader.stateAt(t0).globals, 'nr_direct'));
      const inside = reader.chunks().map((c, ci) => ({ t: c.tBase, ci })).filter((k) => k.t > t0 && k.t < t1);
      expect(inside.length).toBeGreaterThan(3);
      const expected: { t: number; v: number }[] = [{ t: t0, v: direct.v[0]! }];
      for (const k of inside) {
        const v = globalNumber(reader.keyframe(k.ci).globals, 'nr_direct');
        if (v !== expected[expected.length - 1]!.v) expected.push({ t: k.t, v });
      }
      expect(direct.t.map((t, i) => ({ t, v: direct.v[i]! }))).toEqual(expected);
      // fifo counts a dispatch on every enqueue: the count grows over the window
      expect(direct.v[direct.v.length - 1]! + series(tr, 'global', 'nr_global')!.v.at(-1)!).toBeGreaterThan(direct.v[0]! + series(tr, 'global', 'nr_global')!.v[0]!);
    } finally {
      reader.close();
    }
  });

  it('a live run answers pinned globals through the session', async () => {
    const s = new Session({ host: 'browser', assetsDir: join(REPO_ROOT, 'assets') });
    const call = async <T,>(method: string, params: unknown): Promise<T> => {
      const r = await s.handle({ method, params });
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.result as T;
    };
    await call('openObject', { example: 'fifo' });
    const done = new Promise<void>((resolve) => {
      const off = s.onPush((c, p) => {
        if (c === 'runState' && (p as { state: string }).state === 'finished') {
          off();
          resolve();
        }
      });
    });
    await call('startRun', { workload: 'interactive', cpus: 2, seed: 3, durationNs: 40_000_000 });
    await done;
    const tr = await call<ChangeTracks>('changeTracks', { t0: 0, t1: 40_000_000, globals: ['nr_direct'] });
    const direct = series(tr, 'global', 'nr_direct')!;
    expect(direct.v[0]).toBe(0);
    expect(direct.v.length).toBeGreaterThan(1);
    expect(direct.v.at(-1)!).toBeGreaterThan(0);
    const bad = await s.handle({ method: 'changeTracks', params: { t0: 0, t1: 1, globals: [''] } });
    expect(bad.ok).toBe(false);
  });
});

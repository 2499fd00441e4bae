// changeTracks over recorded traces of the example rbtree and list schedulers
// (and the planted leak): every series and band is checked against the
// replayed state at sample instants and against events counted directly.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/simulation';
import { exampleScheduler, REPO_ROOT } from '../../sim/testing/fixtures';
import { TraceReader } from '../../sim/trace/reader';
import { TraceRecorder } from '../../sim/trace/recorder';
import { objectLabels } from '../../sim/trace/labels';
import { readFileSync } from 'node:fs';
import type { SimSnapshot } from '../../model/events';
import { OWNER_KINDS, TASK_STATES, type ChangeTracks } from '../../protocol/change_tracks';
import { changeTracks } from './change_tracks';
import { readerTimeline } from './timeline';
import { Session } from './session';

const dir = mkdtempSync(join(tmpdir(), 'scxray-tracks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Records a run to a file, with the simulator's own snapshots every `every` ns (the truth the tracks are checked against). */
function record(name: string, objectBytes: Uint8Array, ns: number, every = ns): { path: string; live: SimSnapshot[] } {
  const sim = new Simulation({ objectBytes, file: `${name}.bpf.o`, workload: 'interactive', cpus: 3, seed: 7 });
  const path = join(dir, `${name}.scxtrace`);
  const rec = new TraceRecorder(path, sim.info, { labels: objectLabels(sim.object), chunkEvents: 200, snapshot: () => sim.snapshot() });
  sim.on((e) => rec.event(e));
  const live: SimSnapshot[] = [];
  for (let t = 0; t < ns; t += every) {
    sim.runFor(every);
    live.push(sim.snapshot());
  }
  rec.close();
  return { path, live };
}

/** The value of a named counter series at t (the last step at or before t). */
function counterAt(tr: ChangeTracks, group: string, name: string, t: number): number | undefined {
  for (let i = 0; i < tr.counters.name.length; i++) {
    if (tr.strings[tr.counters.group[i]!] !== group || tr.strings[tr.counters.name[i]!] !== name) continue;
    let v = 0;
    for (let k = tr.counters.offset[i]!; k < tr.counters.offset[i + 1]!; k++) if (tr.counters.t[k]! <= t) v = tr.counters.v[k]!;
    return v;
  }
  return undefined;
}

/** The owner kind of object `id` at t from the bands. */
function bandKindAt(tr: ChangeTracks, id: number, t: number): string | undefined {
  for (let b = 0; b < tr.bands.obj.length; b++) {
    if (tr.objects.id[tr.bands.obj[b]!] !== id) continue;
    if (tr.bands.start[b]! <= t && t < tr.bands.end[b]!) return OWNER_KINDS[tr.bands.kind[b]!];
  }
  return undefined;
}

function slotAt(tr: ChangeTracks, key: string, t: number): number | undefined {
  for (let b = 0; b < tr.slotBands.slot.length; b++) {
    if (tr.strings[tr.slots.key[tr.slotBands.slot[b]!]!] !== key) continue;
    if (tr.slotBands.start[b]! <= t && t < tr.slotBands.end[b]!) return tr.slotBands.obj[b]!;
  }
  return undefined;
}

describe.each(['rbtree', 'list'])('changeTracks on a recorded %s run', (sched) => {
  const { path, live } = record(sched, exampleScheduler(sched), 30_000_000, 487_000);
  const reader = TraceReader.open(path);
  afterAll(() => reader.close());
  const t0 = 5_000_000;
  const t1 = 25_000_000;
  const tr = changeTracks(readerTimeline(reader), t0, t1);
  const inWindow = reader.events(t0, t1).filter((e) => e.t > t0);
  // the simulator's own state at instants inside the window (the trace's replay is not the reference)
  const samples = live.filter((s) => s.t > t0 && s.t < t1);

  it('counts the allocations and frees of the window as events counted directly', () => {
    const news = inWindow.filter((e) => e.kind === 'obj_new').length;
    const frees = inWindow.filter((e) => e.kind === 'obj_free').length;
    expect(news).toBeGreaterThan(10);
    // allocated at t0 and still live then: in the start state, with their allocation time
    const liveAtT0 = new Set(reader.stateAt(t0).heap.map((h) => h.id));
    const atT0 = reader.events(t0, t0 + 1, { kinds: ['obj_new'] }).filter((e) => e.kind === 'obj_new' && liveAtT0.has(e.obj)).length;
    expect(Array.from(tr.objects.born).filter((b) => !Number.isNaN(b)).length).toBe(news + atT0);
    expect(Array.from(tr.objects.died).filter((d) => !Number.isNaN(d)).length).toBe(frees);
    expect(tr.objects.id.length).toBe(reader.stateAt(t0).heap.length + news);
    expect(tr.truncated).toBe(false);
  });

  it("node counts per root, live objects per type and DSQ depths equal the simulator's snapshots", () => {
    expect(samples.length).toBeGreaterThan(30);
    let nonzeroRoots = 0;
    for (const s of samples) {
      const t = s.t;
      for (const r of s.roots) {
        expect(counterAt(tr, 'root', r.key, t) ?? 0, `${r.key} at ${t}`).toBe(r.nodes.length);
        if (r.nodes.length > 0) nonzeroRoots++;
      }
      const byType = new Map<string, number>();
      for (const h of s.heap) byType.set(h.type, (byType.get(h.type) ?? 0) + 1);
      for (const [type, n] of byType) expect(counterAt(tr, 'type', type, t), `${type} at ${t}`).toBe(n);
      for (const d of s.dsqs) if (!d.label.startsWith('LOCAL')) expect(counterAt(tr, 'dsq', d.label, t) ?? 0, `${d.label} at ${t}`).toBe(d.tasks.length);
      for (const c of s.cpus) expect(counterAt(tr, 'dsq', `LOCAL(${c.cpu})`, t) ?? 0, `LOCAL(${c.cpu}) at ${t}`).toBe(c.local.length);
    }
    expect(nonzeroRoots).toBeGreaterThan(0);
  });

  it("each live object's band names its owner kind in the simulator's snapshot, and slots hold what it says", () => {
    let checked = 0;
    for (const s of samples) {
      const t = s.t;
      for (const h of s.heap) {
        expect(bandKindAt(tr, h.id, t), `obj ${h.id} at ${t}`).toBe(h.owner.kind);
        checked++;
      }
      for (const slot of s.slots) expect(slotAt(tr, slot.key, t), `${slot.key} at ${t}`).toBe(slot.obj ?? 0);
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('bands, slot bands and ticks come grouped per row in time order, with offsets that index them', () => {
    const check = (key: Int32Array, time: Float64Array, offset: Int32Array, rows: number) => {
      expect(offset.length).toBe(rows + 1);
      expect(offset[rows]).toBe(key.length);
      for (let i = 0; i < rows; i++) {
        for (let k = offset[i]!; k < offset[i + 1]!; k++) {
          expect(key[k]).toBe(i);
          if (k > offset[i]!) expect(time[k]!).toBeGreaterThanOrEqual(time[k - 1]!);
        }
      }
    };
    check(tr.bands.obj, tr.bands.start, tr.bands.offset, tr.objects.id.length);
    check(tr.slotBands.slot, tr.slotBands.start, tr.slotBands.offset, tr.slots.key.length);
    check(tr.xchg.slot, tr.xchg.t, tr.xchg.offset, tr.slots.key.length);
    // an object's bands tile its life inside the window without gaps
    for (let i = 0; i < tr.objects.id.length; i++) {
      for (let k = tr.bands.offset[i]! + 1; k < tr.bands.offset[i + 1]!; k++) expect(tr.bands.start[k]).toBe(tr.bands.end[k - 1]);
    }
  });

  it("a pinned task's state track matches the simulator's snapshots, with the DSQ it waits in", () => {
    const pid = live[0]!.tasks.find((x) => x.pid > 0)!.pid;
    const pinned = changeTracks(readerTimeline(reader), t0, t1, pid);
    const task = pinned.task!;
    expect(task.pid).toBe(pid);
    expect(task.comm).toBe(live[0]!.tasks.find((x) => x.pid === pid)!.comm);
    // the rest of the answer is what it is without a pin
    expect(Array.from(pinned.counters.v)).toEqual(Array.from(tr.counters.v));
    const states = new Set<string>();
    for (const s of samples) {
      let k = -1;
      while (k + 1 < task.t.length && task.t[k + 1]! <= s.t) k++;
      const want = s.tasks.find((x) => x.pid === pid)!;
      const got = TASK_STATES[task.state[k]!];
      expect(got, `pid ${pid} at ${s.t}`).toBe(want.state);
      states.add(got!);
      if (want.state === 'runnable' && want.dsq) expect(task.dsq[k], `dsq of pid ${pid} at ${s.t}`).toBeGreaterThanOrEqual(0);
      if (want.state !== 'runnable') expect(task.dsq[k]).toBe(-1);
    }
    expect(states.size).toBeGreaterThan(1);
    expect(changeTracks(readerTimeline(reader), t0, t1, 99_999).task).toBeUndefined();
  });

  it('one xchg tick per ownership event into or out of a kptr slot', () => {
    const moves = inWindow.filter((e) => e.kind === 'obj_owner' && (e.from.kind === 'kptr' ? 1 : 0) + (e.to.kind === 'kptr' ? 1 : 0) > 0);
    const ticks = inWindow.reduce((n, e) => n + (e.kind === 'obj_owner' ? (e.from.kind === 'kptr' ? 1 : 0) + (e.to.kind === 'kptr' ? 1 : 0) : 0), 0);
    expect(tr.xchg.t.length).toBe(ticks);
    if (sched === 'rbtree') expect(moves.length).toBeGreaterThan(0);
  });
});

describe('changeTracks marks a leak', () => {
  it('the planted leak turns its object leaked from the diagnostic on', () => {
    const bytes = new Uint8Array(readFileSync(join(REPO_ROOT, 'assets/schedulers/buggy/leak.bpf.o')));
    const reader = TraceReader.open(record('leak', bytes, 10_000_000).path);
    try {
      const tr = changeTracks(readerTimeline(reader), 0, reader.duration + 1);
      const leaks = reader.events(0, Infinity, { kinds: ['diagnostic'] }).filter((e) => e.kind === 'diagnostic' && e.diag.kind === 'leak');
      expect(leaks.length).toBeGreaterThan(0);
      const leaked = Array.from(tr.objects.leakedAt).filter((t) => !Number.isNaN(t));
      expect(leaked.length).toBe(leaks.length);
      expect(leaked[0]).toBe(leaks[0]!.t);
      const leakedKind = OWNER_KINDS.indexOf('leaked');
      expect(Array.from(tr.bands.kind).includes(leakedKind)).toBe(true);
    } finally {
      reader.close();
    }
  });
});

describe('Session answers changeTracks for a live run and a replay', () => {
  it('validates through the contract and gives the same series for the run and its reopened trace', async () => {
    const s = new Session({ host: 'browser', assetsDir: join(REPO_ROOT, 'assets') });
    const call = async <T,>(method: string, params: unknown): Promise<T> => {
      const r = await s.handle({ method, params });
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.result as T;
    };
    await call('openObject', { example: 'rbtree' });
    const done = new Promise<void>((resolve) => {
      const off = s.onPush((c, p) => {
        if (c === 'runState' && (p as { state: string }).state === 'finished') {
          off();
          resolve();
        }
      });
    });
    const run = await call<{ traceFile: string }>('startRun', { workload: 'interactive', cpus: 2, seed: 3, durationNs: 20_000_000 });
    await done;
    const live = await call<ChangeTracks>('changeTracks', { t0: 0, t1: 20_000_000 });
    expect(live.objects.id).toBeInstanceOf(Int32Array);
    expect(live.objects.id.length).toBeGreaterThan(0);
    await call('openTrace', { path: run.traceFile });
    const replay = await call<ChangeTracks>('changeTracks', { t0: 0, t1: 20_000_000 });
    expect(Array.from(replay.objects.id)).toEqual(Array.from(live.objects.id));
    expect(Array.from(replay.counters.v)).toEqual(Array.from(live.counters.v));
    const bad = await s.handle({ method: 'changeTracks', params: { t0: 5, t1: 1 } });
    expect(bad.ok).toBe(false);
  });
});

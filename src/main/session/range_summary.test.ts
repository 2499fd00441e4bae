// Range summaries of a recorded rbtree run, each figure checked against a
// count made another way: runtime, wait and runs from the trace replay's own
// task accounting (ReplayState) at both ends of the range, wakeup latencies
// from switch events, ops / lines / DSQ depths from a plain walk of the
// events, and the whole run against the simulator's own summary.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimEvent, TaskState } from '../../model/events';
import { dsqName } from '../../model/text';
import type { RangeSummary } from '../../protocol/range_summary';
import { Simulation } from '../../sim/simulation';
import { percentiles, type RunSummary } from '../../sim/summary';
import { exampleScheduler } from '../../sim/testing/fixtures';
import { localDsqCpu, localDsqId } from '../../sim/trace/dsq_ids';
import { objectLabels } from '../../sim/trace/labels';
import { TraceReader } from '../../sim/trace/reader';
import { TraceRecorder } from '../../sim/trace/recorder';
import { ReplayState } from '../../sim/trace/reduce';
import { rangeSummary, summarizeRange } from './range_summary';
import { readerTimeline } from './timeline';

const dir = mkdtempSync(join(tmpdir(), 'scxray-range-'));
const RUN_NS = 60_000_000;
let reader: TraceReader;
let simSummary: RunSummary;

beforeAll(() => {
  const sim = new Simulation({ objectBytes: exampleScheduler('rbtree'), file: 'rbtree.bpf.o', workload: 'interactive', cpus: 3, seed: 7 });
  const path = join(dir, 'rbtree.scxtrace');
  // small chunks: the ranges start and end in the middle of many chunks
  const rec = new TraceRecorder(path, sim.info, { labels: objectLabels(sim.object), chunkEvents: 200, snapshot: () => sim.snapshot() });
  sim.on((e) => rec.event(e));
  sim.runFor(RUN_NS);
  simSummary = sim.summary();
  rec.close();
  reader = TraceReader.open(path);
});
afterAll(() => {
  reader?.close();
  rmSync(dir, { recursive: true, force: true });
});

const summaryOf = (t0: number, t1: number): RangeSummary => rangeSummary(readerTimeline(reader), t0, t1);

/**
 * Runtime, wait and runs of every task inside [T0, T1) by the trace replay's own accounting (ReplayState): the
 * state before T0 with its counters zeroed (a keyframe's runtime is the simulator's, charged only at ticks and
 * stops), then every event of the range applied.
 */
function replayAccounts(T0: number, T1: number): Map<number, { runtimeNs: number; waitNs: number; runs: number }> {
  const s0 = reader.stateAt(T0 - 1);
  s0.t = T0;
  for (const p of s0.tasks) {
    p.runtimeNs = p.waitNs = p.runs = 0;
    if (p.state === 'runnable') p.readySince = T0;
  }
  const r = new ReplayState(s0);
  for (const e of eventsIn(T0, T1)) r.apply(e);
  const s = r.snapshot(T1);
  return new Map(s.tasks.map((p) => [p.pid, { runtimeNs: p.runtimeNs, waitNs: p.waitNs + (p.readySince !== undefined ? T1 - p.readySince : 0), runs: p.runs }]));
}

/** Runtime by pid from switch events: what each CPU ran, clipped to [T0, T1). */
function runtimeBySwitch(T0: number, T1: number): Map<number, number> {
  const curr = reader.stateAt(T0 - 1).cpus.map((c) => ({ pid: c.curr, since: T0 }));
  const out = new Map<number, number>();
  const charge = (pid: number, ns: number): void => {
    if (pid > 0 && ns > 0) out.set(pid, (out.get(pid) ?? 0) + ns);
  };
  reader.forEachEvent((e) => {
    if (e.kind !== 'switch') return;
    const c = curr[e.cpu]!;
    charge(c.pid, e.t - c.since);
    curr[e.cpu] = { pid: e.nextPid, since: e.t };
  }, T0, T1);
  for (const c of curr) charge(c.pid, T1 - c.since);
  return out;
}

/** Wakeup latencies by pid, measured on switch events (not task_state running), for wakeups inside [T0, T1). */
function wakeupsBySwitch(T0: number, T1: number): Map<number, number[]> {
  const state = new Map<number, TaskState>(reader.stateAt(T0 - 1).tasks.map((p) => [p.pid, p.state]));
  const woken = new Map<number, number>();
  const out = new Map<number, number[]>();
  reader.forEachEvent((e) => {
    if (e.kind === 'task_new') state.set(e.pid, 'new');
    else if (e.kind === 'task_state') {
      const was = state.get(e.pid);
      if (e.state === 'runnable' && (was === 'sleeping' || was === 'new')) woken.set(e.pid, e.t);
      else if (e.state !== 'runnable' && e.state !== 'running') woken.delete(e.pid);
      state.set(e.pid, e.state);
    } else if (e.kind === 'switch' && e.nextPid > 0) {
      const w = woken.get(e.nextPid);
      if (w !== undefined) {
        const l = out.get(e.nextPid) ?? [];
        l.push(e.t - w);
        out.set(e.nextPid, l);
        woken.delete(e.nextPid);
      }
    }
  }, T0, T1);
  return out;
}

function eventsIn(T0: number, T1: number): SimEvent[] {
  const out: SimEvent[] = [];
  reader.forEachEvent((e) => out.push(e), T0, T1);
  return out;
}

/** Max DSQ depth by DSQ id (locals under their LOCAL_ON id), walking the events in order from the state before T0. */
function maxDepthsById(T0: number, T1: number): Map<string, number> {
  const before = reader.stateAt(T0 - 1);
  const depth = new Map<string, number>();
  const max = new Map<string, number>();
  const set = (id: string, n: number): void => {
    depth.set(id, n);
    max.set(id, Math.max(max.get(id) ?? 0, n));
  };
  for (const d of before.dsqs) if (localDsqCpu(d.id, -1) === null) set(d.id, d.tasks.length);
  for (const c of before.cpus) set(localDsqId(c.cpu), c.local.length);
  for (const e of eventsIn(T0, T1)) {
    if (e.kind !== 'dsq_insert' && e.kind !== 'dsq_remove') continue;
    const cpu = localDsqCpu(e.dsq, e.cpu);
    const id = cpu === null ? e.dsq : localDsqId(cpu);
    set(id, Math.max(0, (depth.get(id) ?? 0) + (e.kind === 'dsq_insert' ? 1 : -1)));
  }
  return max;
}

const RANGES: [number, number][] = [
  [0, RUN_NS + 1],
  [13_333_337, 41_000_001],
  [20_000_000, 20_000_000 + 2_500_000],
];

describe('range summary of a recorded rbtree run', () => {
  it('the run holds what the checks need: ops, ownership events with lines, queued tasks, wakeups', () => {
    const s = summaryOf(0, RUN_NS + 1);
    expect(s.ops.length).toBeGreaterThan(3);
    expect(s.lines.length).toBeGreaterThan(3);
    expect(s.dsqs.length).toBeGreaterThan(0);
    expect(s.wakeLatencyNs.samples).toBeGreaterThan(20);
    expect(s.truncated).toBe(false);
  });

  for (const [T0, T1] of RANGES) {
    describe(`[${T0}, ${T1})`, () => {
      it('per task runtime, wait and runs equal the replay accounting, and runtime what the CPUs ran', () => {
        const s = summaryOf(T0, T1);
        const want = replayAccounts(T0, T1);
        const ran = runtimeBySwitch(T0, T1);
        let active = 0;
        for (const [pid, w] of want) {
          const row = s.tasks.find((r) => r.pid === pid);
          const got = row ? { runtimeNs: row.runtimeNs, waitNs: row.waitNs, runs: row.runs } : { runtimeNs: 0, waitNs: 0, runs: 0 };
          expect(got, `pid ${pid}`).toEqual(w);
          expect(got.runtimeNs, `pid ${pid} by switch events`).toBe(ran.get(pid) ?? 0);
          if (w.runtimeNs > 0 && w.waitNs > 0) active++;
        }
        expect(active).toBeGreaterThan(1);
        // rows are ordered by runtime
        for (let i = 1; i < s.tasks.length; i++) expect(s.tasks[i - 1]!.runtimeNs).toBeGreaterThanOrEqual(s.tasks[i]!.runtimeNs);
      });

      it('wakeup latency percentiles equal those measured on switch events', () => {
        const s = summaryOf(T0, T1);
        const want = wakeupsBySwitch(T0, T1);
        for (const row of s.tasks) expect(row.wakeLatencyNs, `pid ${row.pid}`).toEqual(percentiles(want.get(row.pid) ?? []));
        expect(s.wakeLatencyNs).toEqual(percentiles([...want.values()].flat()));
        expect(s.wakeLatencyNs.samples).toBeGreaterThan(0);
      });

      it('per op calls and instructions, per line ownership events and per DSQ max depth equal a walk of the events', () => {
        const s = summaryOf(T0, T1);
        const events = eventsIn(T0, T1);
        const calls = new Map<string, { calls: number; insns: number }>();
        const byLine = new Map<string, number>();
        for (const e of events) {
          if (e.kind === 'op') {
            const c = calls.get(e.op) ?? { calls: 0, insns: 0 };
            calls.set(e.op, { calls: c.calls + 1, insns: c.insns + e.insns });
          } else if ((e.kind === 'obj_new' || e.kind === 'obj_owner' || e.kind === 'obj_free') && e.site?.line) {
            // bpf_obj_new's hand-over from 'freed' to the program is part of the allocation, not a move
            if (e.kind === 'obj_owner' && e.from.kind === 'freed') continue;
            const k = `${e.site.file}:${e.site.line}`;
            byLine.set(k, (byLine.get(k) ?? 0) + 1);
          }
        }
        expect(new Map(s.ops.map((r) => [r.op, { calls: r.calls, insns: r.insns }]))).toEqual(calls);
        for (const r of s.ops) expect(r.meanInsns).toBeCloseTo(r.insns / r.calls, 9);
        for (let i = 1; i < s.ops.length; i++) expect(s.ops[i - 1]!.insns).toBeGreaterThanOrEqual(s.ops[i]!.insns);
        expect(new Map(s.lines.map((r) => [`${r.file}:${r.line}`, r.alloc + r.move + r.free]))).toEqual(byLine);

        const labels = new Map(reader.stateAt(T1).dsqs.map((d) => [d.id, d.label]));
        const want = new Map([...maxDepthsById(T0, T1)].filter(([, n]) => n > 0).map(([id, n]) => [localDsqCpu(id, -1) !== null ? dsqName(id) : (labels.get(id) ?? dsqName(id)), n]));
        expect(new Map(s.dsqs.map((d) => [d.dsq, d.maxDepth]))).toEqual(want);
      });
    });
  }

  it('the whole run agrees with the simulator\'s own summary: ops, instructions, runs', () => {
    const s = summaryOf(0, RUN_NS + 1);
    expect(s.ops.reduce((n, r) => n + r.calls, 0)).toBe(simSummary.ops.calls);
    expect(s.ops.reduce((n, r) => n + r.insns, 0)).toBe(simSummary.ops.insns);
    for (const p of simSummary.tasks) {
      const row = s.tasks.find((r) => r.pid === p.pid);
      expect(row?.runs ?? 0, `pid ${p.pid}`).toBe(p.runs);
    }
  });

  it('a fractional range is the whole-nanosecond range that holds the same events', () => {
    expect(summaryOf(13_333_336.2, 41_000_000.5)).toEqual(summaryOf(13_333_337, 41_000_001));
  });

  it('an empty range has no rows, and a bad range is refused with both ends named', () => {
    const s = summaryOf(20_000_000, 20_000_000);
    expect(s.tasks).toEqual([]);
    expect(s.ops).toEqual([]);
    expect(s.events).toBe(0);
    expect(() => summaryOf(5, 2)).toThrow(/5 \.\. 2/);
  });

  it('past the event limit it stops at the last event read and says so', () => {
    const full = eventsIn(0, RUN_NS + 1).filter((e) => e.kind !== 'switch' && e.kind !== 'idle' && e.kind !== 'kick' && e.kind !== 'printk' && e.kind !== 'ringbuf');
    const s = rangeSummary(readerTimeline(reader), 0, RUN_NS + 1, 1000);
    expect(s.truncated).toBe(true);
    expect(s.t1).toBe(full[999]!.t);
    expect(s).toEqual({ ...summarizeRange(reader.stateAt(-1), full.filter((e) => e.t < s.t1), 0, s.t1, true) });
  });
});

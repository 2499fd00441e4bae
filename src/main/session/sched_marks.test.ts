// The schedMarks query over recorded runs of the kick_self fixture (its
// ops.enqueue kicks its own CPU with SCX_KICK_PREEMPT for a newly woken task):
// kicks are the kick events, preemptions are the running → runnable
// changes of the task_state events, counted directly.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimEvent } from '../../model/events';
import { PREEMPT_REASONS } from '../../protocol/sched_marks';
import { Simulation } from '../../sim/simulation';
import { simFixture } from '../../sim/testing/fixtures';
import { objectLabels } from '../../sim/trace/labels';
import { TraceReader } from '../../sim/trace/reader';
import { TraceRecorder } from '../../sim/trace/recorder';
import { schedMarks } from './sched_marks';
import { readerTimeline } from './timeline';

const dir = mkdtempSync(join(tmpdir(), 'scxray-marks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function record(workload: string, ns: number): string {
  const sim = new Simulation({ objectBytes: simFixture('kick_self'), file: 'kick_self.bpf.o', workload, cpus: 2, seed: 3 });
  const path = join(dir, `${workload}.scxtrace`);
  const rec = new TraceRecorder(path, sim.info, { labels: objectLabels(sim.object), chunkEvents: 300, snapshot: () => sim.snapshot() });
  sim.on((e) => rec.event(e));
  sim.runFor(ns);
  rec.close();
  return path;
}

/** Each time a task went from running straight to runnable, from its own state changes. */
function runningToRunnable(events: SimEvent[]): { t: number; pid: number }[] {
  const last = new Map<number, string>();
  const out: { t: number; pid: number }[] = [];
  for (const e of events) {
    if (e.kind !== 'task_state') continue;
    if (e.state === 'runnable' && last.get(e.pid) === 'running') out.push({ t: e.t, pid: e.pid });
    last.set(e.pid, e.state);
  }
  return out;
}

describe.each(['interactive', 'cpu-hogs'])('schedMarks on a kick_self run (%s)', (workload) => {
  const reader = TraceReader.open(record(workload, 80_000_000));
  afterAll(() => reader.close());
  const t0 = 10_000_000;
  const t1 = 70_000_000;
  // from the start, so a task running at t0 is known as running
  const events = reader.events(0, t1);
  const m = schedMarks(readerTimeline(reader), t0, t1, 20_000);
  const reasons = Array.from(m.preemptions.reason, (r) => PREEMPT_REASONS[r]);

  it('lists every scx_bpf_kick_cpu of the window with its CPUs and flags', () => {
    const kicks = events.filter((e): e is SimEvent & { kind: 'kick' } => e.kind === 'kick' && e.t >= t0);
    expect(Array.from(m.kicks.t)).toEqual(kicks.map((e) => e.t));
    expect(Array.from(m.kicks.target)).toEqual(kicks.map((e) => e.target));
    expect(Array.from(m.kicks.cpu)).toEqual(kicks.map((e) => e.cpu));
    expect(Array.from(m.kicks.flags, (i) => m.strings[i])).toEqual(kicks.map((e) => e.flags.join('|')));
    expect(m.truncated).toBe(false);
  });

  it('has one preemption per running → runnable change of a task, at its time', () => {
    const expected = runningToRunnable(events).filter((x) => x.t >= t0);
    expect(expected.length).toBeGreaterThan(0);
    expect(Array.from(m.preemptions.t)).toEqual(expected.map((x) => x.t));
    expect(Array.from(m.preemptions.pid)).toEqual(expected.map((x) => x.pid));
    // the task that came in is the one the switch names
    for (let i = 0; i < m.preemptions.t.length; i++) {
      const sw = events.find((e) => e.kind === 'switch' && e.t === m.preemptions.t[i] && e.cpu === m.preemptions.cpu[i] && e.prevPid === m.preemptions.pid[i]);
      expect(sw && sw.kind === 'switch' ? sw.nextPid : -2).toBe(m.preemptions.next[i]);
    }
  });

  if (workload === 'interactive') {
    it('a preemption after a SCX_KICK_PREEMPT at its CPU is a kick, naming the kicking CPU', () => {
      expect(reasons.filter((r) => r === 'kick').length).toBeGreaterThan(0);
      for (let i = 0; i < reasons.length; i++) {
        if (reasons[i] !== 'kick') {
          expect(m.preemptions.kicker[i]).toBe(-1);
          continue;
        }
        const t = m.preemptions.t[i]!;
        const cpu = m.preemptions.cpu[i]!;
        const kick = events.filter((e) => e.kind === 'kick' && e.t <= t && e.target === cpu && e.flags.includes('PREEMPT')).at(-1);
        expect(kick).toBeDefined();
        expect(m.preemptions.kicker[i]).toBe((kick as { cpu: number }).cpu);
      }
    });
  } else {
    it('cpu hogs never sleep and are not kicked: every preemption is a slice used up (5 ms apart per CPU)', () => {
      expect(reasons.length).toBeGreaterThan(10);
      expect(new Set(reasons)).toEqual(new Set(['slice']));
      const cpu0 = Array.from(m.preemptions.t).filter((_, i) => m.preemptions.cpu[i] === 0);
      for (let i = 1; i < cpu0.length; i++) expect(cpu0[i]! - cpu0[i - 1]!).toBeGreaterThanOrEqual(5_000_000);
    });
  }

  it('stops at the limit and says so', () => {
    const few = schedMarks(readerTimeline(reader), t0, t1, 2);
    expect(few.preemptions.t.length).toBe(2);
    expect(few.truncated).toBe(true);
  });
});

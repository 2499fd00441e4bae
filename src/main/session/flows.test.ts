// The flows query over recorded traces of the example rbtree and fifo
// schedulers: every chain is checked against the events counted directly
// (switches in, wakeups, consumes from a shared DSQ, ownership changes), not
// against the fold's own bookkeeping.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimEvent } from '../../model/events';
import { FLOW_STEPS, type Flows } from '../../protocol/flows';
import { Simulation } from '../../sim/simulation';
import { exampleScheduler } from '../../sim/testing/fixtures';
import { objectLabels } from '../../sim/trace/labels';
import { TraceReader } from '../../sim/trace/reader';
import { TraceRecorder } from '../../sim/trace/recorder';
import { flows } from './flows';
import { readerTimeline } from './timeline';
import { Session } from './session';

const dir = mkdtempSync(join(tmpdir(), 'scxray-flows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function record(name: string, ns: number, as = name): string {
  const sim = new Simulation({ objectBytes: exampleScheduler(name), file: `${name}.bpf.o`, workload: 'interactive', cpus: 3, seed: 7 });
  const path = join(dir, `${as}.scxtrace`);
  const rec = new TraceRecorder(path, sim.info, { labels: objectLabels(sim.object), chunkEvents: 200, snapshot: () => sim.snapshot() });
  sim.on((e) => rec.event(e));
  sim.runFor(ns);
  rec.close();
  return path;
}

interface Step {
  t: number;
  cpu: number;
  kind: string;
  label: string;
}

function chains(f: Flows): Step[][] {
  const out: Step[][] = [];
  for (let c = 0; c + 1 < f.offset.length; c++) {
    const steps: Step[] = [];
    for (let k = f.offset[c]!; k < f.offset[c + 1]!; k++) {
      steps.push({ t: f.steps.t[k]!, cpu: f.steps.cpu[k]!, kind: FLOW_STEPS[f.steps.kind[k]!]!, label: f.strings[f.steps.label[k]!]! });
    }
    out.push(steps);
  }
  return out;
}

/** The task with the most switches in during the window. */
function busiest(events: SimEvent[]): number {
  const runs = new Map<number, number>();
  for (const e of events) if (e.kind === 'switch' && e.nextPid > 0) runs.set(e.nextPid, (runs.get(e.nextPid) ?? 0) + 1);
  return [...runs.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

const T0 = 5_000_000;
const T1 = 25_000_000;

describe.each(['rbtree', 'fifo'])('task flows on a recorded %s run', (sched) => {
  const reader = TraceReader.open(record(sched, 30_000_000));
  afterAll(() => reader.close());
  const all = reader.events(0, T1);
  const inWindow = all.filter((e) => e.t >= T0);
  const pid = busiest(inWindow);
  const f = flows(readerTimeline(reader), { t0: T0, t1: T1, pid });
  const cs = chains(f);
  const steps = cs.flat();

  it('has one run step per switch to the task in the window, at its time and CPU', () => {
    const switches = inWindow.filter((e) => e.kind === 'switch' && e.nextPid === pid);
    expect(switches.length).toBeGreaterThan(3);
    const runs = steps.filter((s) => s.kind === 'run');
    expect(runs.map((s) => [s.t, s.cpu])).toEqual(switches.map((e) => [e.t, (e as { cpu: number }).cpu]));
    expect(f.subject).toEqual({ kind: 'task', pid });
    expect(f.truncated).toBe(false);
  });

  it('starts a chain at each time the task became runnable: a wakeup after sleeping, a preemption after running', () => {
    // the task's own state changes, walked directly from the start of the trace
    let prev = '';
    const expected: [number, string][] = [];
    for (const e of all) {
      if (e.kind !== 'task_state' || e.pid !== pid) continue;
      if (e.state === 'runnable' && e.t >= T0) expected.push([e.t, prev === 'running' ? 'preempted' : 'wakeup']);
      prev = e.state;
    }
    const starts = cs.map((c) => c[0]!).filter((s) => s.t >= T0 && (s.kind === 'wakeup' || s.kind === 'preempted'));
    expect(starts.map((s) => [s.t, s.kind])).toEqual(expected);
  });

  it('orders each chain becoming runnable → enqueue → dispatch → run, in time', () => {
    const rank: Record<string, number> = { wakeup: 0, preempted: 0, enqueue: 1, dispatch: 2, run: 3 };
    for (const c of cs) {
      for (let i = 1; i < c.length; i++) {
        expect(c[i]!.t).toBeGreaterThanOrEqual(c[i - 1]!.t);
        expect(rank[c[i]!.kind]!).toBeGreaterThanOrEqual(rank[c[i - 1]!.kind]!);
      }
      // only the last chain may still be waiting at t1
      if (c !== cs[cs.length - 1]) expect(c[c.length - 1]!.kind).toBe('run');
    }
    // a task waiting at t0 brings its chain from when it became ready
    expect(cs[0]![cs[0]!.length - 1]!.t).toBeGreaterThanOrEqual(T0);
  });

  if (sched === 'rbtree') {
    it('rbtree: ops.enqueue keeps the task in no DSQ, ops.dispatch inserts it into a local DSQ of the CPU that runs it', () => {
      const enq = steps.filter((s) => s.kind === 'enqueue');
      const opEnqueues = inWindow.filter((e) => e.kind === 'op' && e.op === 'enqueue' && e.pid === pid);
      expect(enq.filter((s) => s.t >= T0).length).toBe(opEnqueues.length);
      for (const s of enq) expect(s.label).toBe('ops.enqueue: kept by the BPF scheduler (in no DSQ)');
      for (const c of cs.filter((x) => x.some((s) => s.kind === 'dispatch') && x[x.length - 1]!.kind === 'run')) {
        const d = c.find((s) => s.kind === 'dispatch')!;
        const run = c[c.length - 1]!;
        // inserted into LOCAL(n) by CPU n, or GLOBAL for a CPU the task may not use
        expect(d.label).toMatch(/^ops\.dispatch on CPU \d+ inserted it into (LOCAL\(\d+\)|GLOBAL)$/);
        if (d.label.endsWith(`LOCAL(${d.cpu})`)) expect(run.cpu).toBe(d.cpu);
      }
    });
  } else {
    it('fifo: ops.enqueue puts the task on the global DSQ; a CPU takes it to its local DSQ and runs it there', () => {
      const consumes = inWindow.filter((e) => e.kind === 'dsq_remove' && e.pid === pid && e.reason === 'consume');
      const dispatches = steps.filter((s) => s.kind === 'dispatch' && s.t >= T0);
      expect(dispatches.length).toBe(consumes.length);
      for (const d of dispatches) expect(d.label).toBe(`CPU ${d.cpu} took it from GLOBAL to LOCAL(${d.cpu})`);
      const enq = steps.filter((s) => s.kind === 'enqueue');
      expect(enq.length).toBeGreaterThan(0);
      for (const s of enq) expect(s.label).toMatch(/^(ops\.enqueue into GLOBAL|select_cpu dispatched it directly to LOCAL\(\d+\))$/);
    });
  }
});

describe('object flows on a recorded rbtree run', () => {
  const reader = TraceReader.open(record('rbtree', 30_000_000, 'rbtree-obj'));
  afterAll(() => reader.close());
  const inWindow = reader.events(T0, T1);
  const owners = (id: number) => inWindow.filter((e): e is SimEvent & { kind: 'obj_owner' } => e.kind === 'obj_owner' && e.obj === id);

  it('a task_node: allocated and added by enqueue, removed and dropped by dispatch, each on the CPU of its program', () => {
    const news = inWindow.filter((e): e is SimEvent & { kind: 'obj_new' } => e.kind === 'obj_new' && e.type === 'struct task_node');
    const node = news.find((n) => inWindow.some((e) => e.kind === 'obj_free' && e.obj === n.obj))!;
    expect(node).toBeDefined();
    const f = flows(readerTimeline(reader), { t0: T0, t1: T1, obj: node.obj });
    const [c] = chains(f);
    expect(c!.map((s) => s.kind)).toEqual(['alloc', 'add', 'remove', 'free']);
    const ev = owners(node.obj);
    // alloc: freed → enqueue; add: enqueue → root; remove: root → dispatch
    expect(c![0]!.cpu).toBe((ev[0]!.to as { cpu: number }).cpu);
    expect(c![1]!.cpu).toBe((ev[1]!.from as { cpu: number }).cpu);
    expect(c![2]!.cpu).toBe((ev[2]!.to as { cpu: number }).cpu);
    expect(c![3]!.cpu).toBe(c![2]!.cpu);
    expect(c![1]!.label).toBe('added to rbtree .data.queue.queue by rbtree_enqueue');
    expect(c![3]!.label).toBe('dropped (bpf_obj_drop) by rbtree_dispatch');
    expect(c!.map((s) => s.t)).toEqual([node.t, ev[1]!.t, ev[2]!.t, inWindow.find((e) => e.kind === 'obj_free' && e.obj === node.obj)!.t]);
  });

  it('a stashed task_ctx: one stash or unstash step per bpf_kptr_xchg that moved it, at the program CPU', () => {
    const moves = new Map<number, number>();
    for (const e of inWindow) if (e.kind === 'obj_owner' && (e.to.kind === 'kptr' || e.from.kind === 'kptr')) moves.set(e.obj, (moves.get(e.obj) ?? 0) + 1);
    const [id] = [...moves.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const f = flows(readerTimeline(reader), { t0: T0, t1: T1, obj: id });
    const steps = chains(f)[0]!;
    const ev = owners(id);
    expect(steps.length).toBe(ev.length);
    steps.forEach((s, i) => {
      const e = ev[i]!;
      expect(s.t).toBe(e.t);
      expect(s.kind).toBe(e.to.kind === 'kptr' ? 'stash' : 'unstash');
      const prog = e.to.kind === 'program' ? e.to : (e.from as { cpu: number; program: string });
      expect(s.cpu).toBe(prog.cpu);
      expect(s.label).toContain(e.to.kind === 'kptr' ? `stashed in ${e.to.slot}` : `taken out of ${(e.from as { slot: string }).slot}`);
    });
  });
});

describe('the flows request', () => {
  it('refuses both or neither of pid and obj, and needs a timeline', async () => {
    const s = new Session({ host: 'browser' });
    const both = await s.handle({ method: 'flows', params: { t0: 0, t1: 10, pid: 1, obj: 2 } });
    expect(both.ok).toBe(false);
    if (!both.ok) expect(both.error.message).toContain('exactly one of pid');
    const neither = await s.handle({ method: 'flows', params: { t0: 0, t1: 10 } });
    expect(neither.ok).toBe(false);
    const none = await s.handle({ method: 'flows', params: { t0: 0, t1: 10, pid: 1 } });
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error.code).toBe('no_timeline');
    s.dispose();
  });
});

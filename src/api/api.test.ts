// The library API on the example schedulers: results agree with the trace
// they were recorded to, the re-simulated instant agrees with the events,
// and bad options are refused naming the option.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { ApiError, LoadError, SetupError, openScheduler, type RunResult } from './index';

const SCHED = new URL('../../assets/schedulers/', import.meta.url).pathname;

describe('vtime on interactive (2 CPUs, 500 ms)', () => {
  let run: RunResult;
  beforeAll(async () => {
    const s = await openScheduler(SCHED + 'vtime.bpf.o');
    expect(s.name).toBe('vtime');
    run = await s.run({ workload: 'interactive', cpus: 2, seed: 3, duration: '500ms' });
  });
  afterAll(() => run.close());

  it('describes the run and reports no exit', () => {
    expect(run.info).toMatchObject({ scheduler: 'vtime', workload: 'interactive', seed: 3, machine: { cpus: 2 } });
    expect(run.ejected).toBe(false);
    expect(run.exit.kind).toBe('none');
    expect(run.durationNs).toBe(500e6);
  });

  it('per-task wakeup samples match the wakeups in the trace', () => {
    const t = run.task('audio-0');
    expect(t.group).toBe('audio');
    // audio runs 200us every 5ms: about 100 periods in 500ms, each one a wakeup
    expect(t.wakeupLatency.samples).toBeGreaterThan(90);
    expect(t.wakeupLatency.p50).toBeLessThanOrEqual(t.wakeupLatency.p99);
    expect(t.wakeupLatency.p99).toBeLessThanOrEqual(t.wakeupLatency.max);
    // every "running" after a "sleeping → runnable" is one sample
    let woken = false;
    let n = 0;
    let prev = 'new';
    for (const e of run.events({ kind: 'task_state', pid: t.pid })) {
      if (e.kind !== 'task_state') continue;
      if (e.state === 'runnable' && (prev === 'sleeping' || prev === 'new')) woken = true;
      if (e.state === 'running' && woken) {
        n++;
        woken = false;
      }
      prev = e.state;
    }
    expect(t.wakeupLatency.samples).toBe(n);
  });

  it('a group pools its tasks and names its worst wakeup', () => {
    const g = run.group('ui');
    expect(g.pids.length).toBe(4);
    const per = g.pids.map((p) => run.task(p));
    expect(g.wakeupLatency.samples).toBe(per.reduce((a, t) => a + t.wakeupLatency.samples, 0));
    expect(g.wakeupLatency.max).toBe(Math.max(...per.map((t) => t.wakeupLatency.max)));
    expect(g.worstWakeup?.latency).toBe(g.wakeupLatency.max);
    expect(() => run.group('nope')).toThrow(/no task of group "nope".*ui/);
  });

  it('filters events by kind, op, pid, CPU and window', () => {
    const all = run.events({ kind: 'op', op: 'enqueue', from: '100ms', to: '200ms' });
    expect(all.length).toBeGreaterThan(0);
    for (const e of all) {
      expect(e.kind === 'op' && e.op === 'enqueue').toBe(true);
      expect(e.t).toBeGreaterThanOrEqual(100e6);
      expect(e.t).toBeLessThanOrEqual(200e6);
    }
    const onCpu1 = run.events({ kind: 'switch', cpu: 1, limit: 5 });
    expect(onCpu1).toHaveLength(5);
    expect(onCpu1.every((e) => e.kind === 'switch' && e.cpu === 1)).toBe(true);
  });

  it('utilisation and DSQ depth come from the run', () => {
    expect(run.utilisation()).toBeGreaterThan(0.3);
    expect(run.utilisation()).toBeLessThanOrEqual(1);
    const labels = run.dsqs().map((d) => d.label);
    expect(labels).toContain('LOCAL(0)');
    const d = run.dsqDepth(run.dsqs()[0]!.label);
    expect(d.t.length).toBe(d.depth.length);
    for (let i = 1; i < d.t.length; i++) expect(d.t[i]).toBeGreaterThan(d.t[i - 1]!);
    expect(d.max).toBe(Math.max(...d.depth));
    expect(() => run.dsqDepth('no-such')).toThrow(/no DSQ "no-such"/);
  });

  it('the re-simulated instant agrees with the recorded trace', () => {
    const at = run.at('250ms');
    const recorded = run.stateAt('250ms');
    expect(at.state.tasks.map((t) => [t.pid, t.state, t.cpu])).toEqual(recorded.tasks.map((t) => [t.pid, t.state, t.cpu]));
    // runtime is charged when a task stops running: the same for every task not on a CPU right now
    const settled = (ts: typeof recorded.tasks) => ts.filter((t) => t.state !== 'running').map((t) => [t.pid, t.runtimeNs]);
    expect(settled(at.state.tasks)).toEqual(settled(recorded.tasks));
    const now = at.global('vtime_now');
    expect(typeof now).toBe('bigint');
    expect(now as bigint).toBeGreaterThan(0n);
  });
});

describe('globals, maps and heap at an instant', () => {
  it('lost_task counters at 1s equal the enqueues recorded up to 1s, and the stall ejects it', async () => {
    const s = await openScheduler(SCHED + 'buggy/lost_task.bpf.o');
    const run = await s.run({ workload: 'interactive', cpus: 2, duration: '5s' });
    try {
      expect(run.ejected).toBe(true);
      expect(run.exit.kind).toBe('SCX_EXIT_ERROR_STALL');
      const enq = run.events({ kind: 'op', op: 'enqueue', to: '1s' }).length;
      const g = run.globalsAt('1s');
      expect(g.nr_enqueued!.value).toBe(BigInt(enq));
      expect(g.nr_lost!.value).toBe(BigInt(Math.floor(enq / 64)));
      expect(g.nr_enqueued!.section).toBe('.bss');
      // an earlier instant starts a fresh re-simulation
      expect(run.at('500ms').global('nr_enqueued')).toBe(BigInt(run.events({ kind: 'op', op: 'enqueue', to: '500ms' }).length));
    } finally {
      run.close();
    }
  });

  it('cgweight keeps one cgrp_ctxs value per cgroup, with its cpu.weight decoded by BTF', async () => {
    const s = await openScheduler(SCHED + 'cgweight.bpf.o');
    const run = await s.run({ workload: 'cgroups', cpus: 2, duration: '1s' });
    try {
      const entries = run.mapAt('100ms', 'cgrp_ctxs');
      const weights = entries.map((e) => (e.value as { weight: bigint }).weight).sort();
      // the root, /batch (100) and /web (300)
      expect(weights).toEqual([100n, 100n, 300n]);
      for (const e of entries) expect(typeof e.key).toBe('bigint');
      expect(() => run.mapAt('100ms', 'nope')).toThrow(/no map "nope".*cgrp_ctxs/);
      // fairness by cgroup weight: /web gets 3x /batch
      const f = run.fairness('cgroup');
      expect(f.entries.map((e) => e.key)).toEqual(['/batch', '/web']);
      expect(f.maxError).toBeLessThan(0.1);
    } finally {
      run.close();
    }
  });

  it('heap objects at an instant: live rbtree nodes of the leak example match the trace', async () => {
    const s = await openScheduler(SCHED + 'buggy/leak.bpf.o');
    const run = await s.run({ workload: 'cpu-hogs', cpus: 2, duration: '100ms' });
    try {
      expect(run.diagnostics.map((d) => d.kind).sort()).toEqual(['invalidated_ref', 'leak']);
      const heap = run.heapAt('50ms');
      expect(heap.length).toBeGreaterThan(0);
      expect(heap.every((o) => o.type === 'struct node')).toBe(true);
      expect(heap.map((o) => o.id).sort((a, b) => a - b)).toEqual(run.stateAt('50ms').heap.map((o) => o.id).sort((a, b) => a - b));
      // exact field values: each node's key is a pid
      const pids = new Set(run.tasks().map((t) => String(t.pid)));
      for (const o of heap) expect(pids.has(o.fields.key!)).toBe(true);
      const inst = run.at('60ms');
      run.at('70ms');
      expect(() => inst.globals()).toThrow(/stale/);
    } finally {
      run.close();
    }
  });

  it('fairness by task weight tells vtime from fifo', async () => {
    const results: number[] = [];
    for (const name of ['vtime', 'fifo']) {
      const run = await (await openScheduler(SCHED + `${name}.bpf.o`)).run({ workload: 'cpu-hogs', cpus: 2, duration: '1s' });
      results.push(run.fairness('weight').maxError);
      expect(run.fairness('weight').entries.length).toBe(8);
      run.close();
    }
    expect(results[0]).toBeLessThan(0.1);
    expect(results[1]).toBeGreaterThan(0.3);
  });
});

describe('options and errors', () => {
  it('refuses bad durations, seeds, sets and setup options naming the option', async () => {
    await expect(openScheduler(SCHED + 'fifo.bpf.o', { setup: '/nonexistent/x.setup.mjs' })).rejects.toThrow(SetupError);
    await expect(openScheduler(SCHED + 'fifo.bpf.o', { setupBudgetMs: 100 })).rejects.toThrow(/^setupBudgetMs: needs setup/);
    const s = await openScheduler(SCHED + 'fifo.bpf.o');
    await expect(s.run({ workload: 'cpu-hogs', duration: 'soon' })).rejects.toThrow(ApiError);
    await expect(s.run({ workload: 'cpu-hogs', duration: 'soon' })).rejects.toThrow(/^duration: /);
    await expect(s.run({ workload: 'cpu-hogs', seed: -1 })).rejects.toThrow(/^seed: /);
    await expect(s.run({ workload: { name: 'w', groups: [] } })).rejects.toThrow(/groups/);
    await expect(openScheduler(SCHED + 'missing.bpf.o')).rejects.toThrow(/object: no such file/);
    await expect(openScheduler(new Uint8Array([1, 2, 3]))).rejects.toThrow(LoadError);
    await expect(openScheduler(SCHED + 'vtime.bpf.o', { sets: { slice_ns: 1.5 } })).rejects.toThrow(/sets.slice_ns: must be an integer/);
  });

  it('sets reach the object, workload objects are accepted, and close() removes the temporary trace', async () => {
    const s = await openScheduler(SCHED + 'cgweight.bpf.o', { sets: { slice_ns: 1_000_000 } });
    const run = await s.run({
      workload: { name: 'two', groups: [{ name: 'hog', count: 2, steps: [{ run: '1s' }] }] },
      cpus: 1,
      duration: '50ms',
    });
    const inserts = run.events({ kind: 'dsq_insert' });
    expect(inserts.length).toBeGreaterThan(0);
    expect(inserts.every((e) => e.kind === 'dsq_insert' && e.slice === 1_000_000)).toBe(true);
    expect(run.globalsAt('10ms').slice_ns!.value).toBe(1_000_000n);
    expect(existsSync(run.tracePath)).toBe(true);
    run.close();
    expect(existsSync(run.tracePath)).toBe(false);
    expect(() => run.events()).toThrow(/closed/);
  });
});

describe('a setup module (the userspace half)', () => {
  const SETUP = new URL('../../test/bpf/setup/', import.meta.url).pathname;
  const BUILD = new URL('../../test/bpf/build/setup/', import.meta.url).pathname;

  it('runs in every run and re-simulation: rodata it set is seen at an instant, its log is reported', async () => {
    const s = await openScheduler(BUILD + 'knobs.bpf.o', { setup: SETUP + 'knobs.setup.mjs' });
    const run = await s.run({ workload: 'cpu-hogs', cpus: 4, duration: '1500ms' });
    try {
      expect(run.ejected).toBe(false);
      expect(run.setup?.file).toBe('knobs.setup.mjs');
      expect(run.setup?.failure).toBeUndefined();
      const log = run.setup!.log.map((l) => l.text);
      expect(log[0]).toMatch(/^configured 4 cpus, 2 pairs$/);
      // every(1000): one stats line at 1 s of virtual time
      expect(run.setup!.log.some((l) => l.t === 1e9 && l.text.startsWith('enqueued'))).toBe(true);
      const g = run.globalsAt('1s');
      expect(g.nr_cpu_ids!.value).toBe(4n);
      expect((g.pair_cpu!.value as bigint[]).slice(0, 4)).toEqual([1n, 0n, 3n, 2n]);
      // a struct global decoded by member: an integer and a char array
      expect(g.cfg!.value).toMatchObject({ slice_ns: 5_000_000n, tag: 'paired' });
    } finally {
      run.close();
    }
  });
});

// An imported workload run on a real scheduler object, exported as perf
// text, ftrace text and Perfetto JSON, and imported again: every task keeps
// the runtime the simulation gave it. And the comparison of that run with the
// original trace, figure by figure.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, exampleScheduler } from '../testing/fixtures';
import { Simulation } from '../simulation';
import { importTraceText } from './import/index';
import { traceToWorkload } from './import/to_workload';
import { traceFigures } from './import/figures';
import { SchedRecorder } from './export/sched_recorder';
import { writeSchedText } from './export/sched_text';
import { writePerfettoJson } from './export/perfetto_json';
import { compareRun, replayedPids, simToTracePids } from './compare';
import type { Step } from './schema';

const PERF = join(REPO_ROOT, 'test/traces/clang-build.perf.txt');
const original = importTraceText(readFileSync(PERF, 'utf8'), PERF).trace;
const workload = traceToWorkload(original, { name: 'clang-build' });
const SPAN = 200_000_000;

function simulate(cpus: number) {
  const sim = new Simulation({ objectBytes: exampleScheduler('fifo'), file: 'fifo.bpf.o', workload, cpus, seed: 1 });
  const rec = new SchedRecorder('fifo run', cpus);
  sim.on((e) => rec.event(e));
  sim.runUntil(SPAN);
  return { sim, summary: sim.summary(), trace: rec.finish(SPAN) };
}

const runOf = (steps: Step[]): number => steps.reduce((a, s) => a + ('run' in s && s.run.dist === 'fixed' ? s.run.value : 0), 0);

describe('simulated run → perf / ftrace / Perfetto JSON → import', () => {
  const { sim, summary, trace } = simulate(2);
  const running = new Set(sim.world.core.cpus.map((c) => c.curr?.pid).filter((p): p is number => p !== undefined));

  it.each([
    ['perf', writeSchedText(trace, 'perf')],
    ['ftrace', writeSchedText(trace, 'ftrace')],
    ['perfetto-json', writePerfettoJson(trace)],
  ])('%s keeps every task\'s runtime', (format, text) => {
    const back = importTraceText(text, `export.${format}`);
    expect(back.trace.format).toBe(format);
    expect(back.trace.machine.cpus).toBe(2);
    const w = traceToWorkload(back.trace, { name: 'back' });
    const byPid = new Map(w.groups.map((g) => [g.trace!.pid, runOf(g.steps)]));
    const ran = summary.tasks.filter((t) => t.runtimeNs > 0);
    expect(ran.length).toBeGreaterThan(30);
    // tasks still on a CPU when the run ends keep their last slice (the "time of last sample" header)
    expect(ran.filter((t) => running.has(t.pid)).length).toBeGreaterThan(0);
    for (const t of ran) {
      expect(byPid.get(t.pid), `${t.comm} (pid ${t.pid})${running.has(t.pid) ? ', on a CPU at the end' : ''}`).toBe(t.runtimeNs);
    }
    // exits survive the round trip
    expect(w.groups.filter((g) => g.steps.some((s) => 'exit' in s)).length).toBe(summary.tasks.filter((t) => t.exited).length);
  });
});

describe('run --compare figures', () => {
  it('puts the original and the simulated run side by side, task by task', () => {
    const { sim, summary, trace } = simulate(2);
    const map = simToTracePids(sim.world.core);
    expect(map.size).toBe(summary.tasks.length);
    // replayed tasks keep their traced pids, so both sides name (and the UI colours) a task alike
    for (const [simPid, tracePid] of map) expect(simPid).toBe(tracePid);
    const c = compareRun(original, trace, map, SPAN);
    const span = original.endNs - original.startNs;
    expect(c.spanNs).toBe(span);
    expect(c.warnings).toEqual([]);
    // original side: the trace's own figures over its span, for the replayed tasks
    const fig = traceFigures(original);
    const orig = new Map(fig.tasks.map((t) => [t.pid, t]));
    for (const t of c.tasks) if (t.original) expect(t.original.runtimeNs).toBe(orig.get(t.tracePid)!.runtimeNs);
    expect(c.original.cpus.map((x) => x.busyNs)).toEqual(fig.cpus.map((x) => x.busyNs));
    // simulated side: matched through group.trace.pid, and the same runtime the summary reports
    const clang = c.tasks.find((t) => t.tracePid === 11988)!;
    expect(clang.comm).toBe('clang-19');
    const simTask = summary.tasks.find((t) => t.pid === clang.simPid)!;
    expect(simTask.comm).toBe('clang-19');
    expect(clang.simulated!.runtimeNs).toBe(simTask.runtimeNs);
    expect(clang.original!.runtimeNs).toBe(runOf(workload.groups.find((g) => g.trace!.pid === 11988)!.steps));
    // wakeup latency: percentiles in order, with samples on both sides
    for (const side of [c.original, c.simulated]) {
      expect(side.wakeLatencyNs.samples).toBeGreaterThan(50);
      expect(side.wakeLatencyNs.p50).toBeLessThanOrEqual(side.wakeLatencyNs.p90);
      expect(side.wakeLatencyNs.p90).toBeLessThanOrEqual(side.wakeLatencyNs.p99);
      expect(side.wakeLatencySamples.length).toBe(side.wakeLatencyNs.samples);
    }
  });

  it('the original side counts every replayed task, also those the run has not created yet', () => {
    const sim = new Simulation({ objectBytes: exampleScheduler('fifo'), file: 'fifo.bpf.o', workload, cpus: 2, seed: 1 });
    const rec = new SchedRecorder('fifo run', 2);
    sim.on((e) => rec.event(e));
    sim.runUntil(20_000_000);
    const trace = rec.finish(20_000_000);
    const map = simToTracePids(sim.world.core);
    const created = new Set(map.values());
    const c = compareRun(original, trace, map, 20_000_000, replayedPids(workload.groups));
    const extra = c.original.tasks.filter((t) => !created.has(t.pid));
    expect(extra.length).toBeGreaterThan(0);
    expect(extra.some((t) => t.runtimeNs > 0)).toBe(true);
    for (const t of extra) {
      const row = c.tasks.find((x) => x.tracePid === t.pid)!;
      expect(row.original).toEqual(t);
      expect(row.simulated).toBeUndefined();
    }
    // without the workload's pids only the tasks the run created are counted
    expect(compareRun(original, trace, map, 20_000_000).original.tasks.every((t) => created.has(t.pid))).toBe(true);
  });

  it('warns when the run has another CPU count or is shorter than the trace', () => {
    const { sim, trace } = simulate(4);
    const c = compareRun(original, trace, simToTracePids(sim.world.core), 50_000_000);
    expect(c.spanNs).toBe(50_000_000);
    expect(c.warnings.join('\n')).toMatch(/from 2 CPUs but the run simulated 4 \(pass --cpus 2\)/);
    expect(c.warnings.join('\n')).toMatch(/shorter than the trace/);
    expect(c.simulated.cpus).toHaveLength(4);
  });
});

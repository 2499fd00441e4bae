import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from './session';
import { recordToy } from '../../sim/trace/testing/record_toy';
import type { ObjectSummary, RunSlices, TraceSummary } from '../../protocol/contract';

const assetsDir = new URL('../../../assets', import.meta.url).pathname;

async function ok<T>(s: Session, method: string, params: unknown): Promise<T> {
  const r = await s.handle({ method, params });
  if (!r.ok) throw new Error(`${method} failed: ${r.error.code}: ${r.error.message}`);
  return r.result as T;
}

describe('Session: scheduler objects', () => {
  it('lists the bundled examples', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    const ex = await ok<{ schedulers: { name: string; hasSource: boolean }[] }>(s, 'listExamples', {});
    const fifo = ex.schedulers.find((x) => x.name === 'fifo');
    expect(fifo?.hasSource).toBe(true);
  });

  it('offers the schedulers with planted bugs (assets/schedulers/buggy) beside the others, and opens them', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    const ex = await ok<{ schedulers: { name: string; file: string; hasSource: boolean }[] }>(s, 'listExamples', {});
    const leak = ex.schedulers.find((x) => x.name === 'buggy-leak');
    expect(leak).toMatchObject({ file: 'buggy/leak.bpf.o', hasSource: true });
    const sum = await ok<ObjectSummary>(s, 'openObject', { example: 'buggy-leak' });
    expect(sum.programs.map((p) => p.name)).toContain('leak_enqueue');
  });

  it('opens an example object through the loader and summarizes its struct_ops', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    const sum = await ok<ObjectSummary>(s, 'openObject', { example: 'fifo' });
    expect(sum.file).toBe('fifo.bpf.o');
    expect(sum.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sum.structOps.length).toBeGreaterThan(0);
    const ops = sum.structOps[0]!.ops.map((o) => o.op);
    expect(ops).toContain('enqueue');
    expect(sum.programs.some((p) => p.runnable)).toBe(true);
  });

  it('turns a loader failure into a typed error naming the file', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    const good = readFileSync(join(assetsDir, 'schedulers', 'fifo.bpf.o'));
    const truncated = good.subarray(0, 100).toString('base64');
    const r = await s.handle({ method: 'openObject', params: { name: 'cut.bpf.o', dataBase64: truncated } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('load_failed');
      expect(r.error.file).toBe('cut.bpf.o');
      expect(r.error.message).toContain('cut.bpf.o');
      expect(r.error.loaderCode).toMatch(/^elf_/);
    }
  });

  it('refuses paths the host policy does not allow, and says which file is missing', async () => {
    const s = new Session({ host: 'electron', assetsDir, allowPath: () => false });
    const r = await s.handle({ method: 'openObject', params: { path: '/etc/passwd' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('forbidden');
    const open = new Session({ host: 'browser', assetsDir });
    const m = await open.handle({ method: 'openObject', params: { path: '/nonexistent/x.bpf.o' } });
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.error).toMatchObject({ code: 'not_found', file: 'x.bpf.o' });
  });

  it('needs an object before a run, and a run before pause', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    const r = await s.handle({ method: 'startRun', params: { workload: 'mixed', cpus: 2, seed: 1, durationNs: 1e6 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('no_object');
    const p = await s.handle({ method: 'pause', params: {} });
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.error.code).toBe('run_state');
  });
});

describe('Session: recorded timelines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scxray-session-'));
  const trace = join(dir, 'toy.scxtrace');
  recordToy(trace, { ncpu: 2, seed: 3, steps: 400 });

  it('opens a trace and answers slices, stateAt and events from it', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    const sum = await ok<TraceSummary>(s, 'openTrace', { path: trace });
    expect(sum.eventCount).toBeGreaterThan(0);
    expect(sum.truncated).toBe(false);
    expect(Object.values(sum.counts).reduce((a, b) => a + b, 0)).toBe(sum.eventCount);
    const slices = await ok<RunSlices>(s, 'slices', { t0: 0, t1: sum.durationNs + 1, nsPerPx: 1 });
    expect(slices.start).toBeInstanceOf(Float64Array);
    expect(slices.cpu.length).toBe(slices.start.length);
    expect(slices.start.length).toBeGreaterThan(0);
    const snap = await ok<{ cpus: unknown[] }>(s, 'stateAt', { t: sum.durationNs / 2 });
    expect(snap.cpus).toHaveLength(2);
    const ev = await ok<{ events: { kind: string }[]; truncated: boolean }>(s, 'events', { t0: 0, t1: sum.durationNs + 1, limit: 5 });
    expect(ev.events).toHaveLength(5);
    expect(ev.truncated).toBe(true);
    const sw = await ok<{ events: { kind: string }[] }>(s, 'events', { t0: 0, t1: sum.durationNs + 1, kinds: ['switch'], limit: 50 });
    expect(sw.events.every((e) => e.kind === 'switch')).toBe(true);
  });

  it('rejects a file that is not a trace with a typed error naming it', async () => {
    const bogus = join(dir, 'notes.scxtrace');
    writeFileSync(bogus, 'definitely not a trace');
    const s = new Session({ host: 'browser', assetsDir });
    const r = await s.handle({ method: 'openTrace', params: { path: bogus } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('trace_bad');
      expect(r.error.file).toBe('notes.scxtrace');
      expect(r.error.message).toContain('notes.scxtrace');
    }
  });

  it('pushes objectOpened when the host opens a file (menu / dialog)', async () => {
    const s = new Session({ host: 'electron', assetsDir, allowPath: () => false });
    const got: string[] = [];
    s.onPush((channel) => got.push(channel));
    await s.openFromHost('object', join(assetsDir, 'schedulers', 'fifo.bpf.o'));
    await s.openFromHost('trace', join(dir, 'missing.scxtrace'));
    expect(got).toEqual(['objectOpened', 'error']);
  });
});

describe('Session: live runs', () => {
  function waitFor(s: Session, pred: (channel: string, payload: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const off = s.onPush((channel, payload) => {
        if (pred(channel, payload as Record<string, unknown>)) {
          off();
          resolve(payload as Record<string, unknown>);
        }
      });
    });
  }

  it('runs an example scheduler, records it, and answers timeline queries from the recording', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    await ok(s, 'openObject', { example: 'fifo' });
    const done = waitFor(s, (c, p) => c === 'runState' && p.state === 'finished');
    const progress: number[] = [];
    s.onPush((c, p) => {
      if (c === 'progress') progress.push((p as { tNs: number }).tNs);
    });
    const started = await ok<{ runId: number; traceFile: string; info: { scheduler: string } }>(s, 'startRun', {
      workload: { preset: 'cpu-hogs' }, cpus: 2, seed: 7, durationNs: 25_000_000,
    });
    expect(started.traceFile).toMatch(/\.scxtrace$/);
    const final = await done;
    expect(final.tNs).toBe(25_000_000);
    expect(progress.length).toBeGreaterThan(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    const slices = await ok<RunSlices>(s, 'slices', { t0: 0, t1: 25_000_000, nsPerPx: 10_000 });
    expect(slices.start.length).toBeGreaterThan(0);
    // cpu-hogs keeps both CPUs busy to the end (25 ms is mid-slice, 20 ms slices): the finished run unregisters the
    // scheduler like `scxray run`, which closes the slices still running.
    for (const cpu of [0, 1]) {
      let last = 0;
      for (let i = 0; i < slices.cpu.length; i++) if (slices.cpu[i] === cpu) last = Math.max(last, slices.end[i]!);
      expect(last, `cpu ${cpu}`).toBe(25_000_000);
    }
    const snap = await ok<{ cpus: unknown[]; tasks: unknown[] }>(s, 'stateAt', { t: 10_000_000 });
    expect(snap.cpus).toHaveLength(2);
    expect(snap.tasks.length).toBeGreaterThan(0);
    const again = await s.handle({ method: 'openTrace', params: { path: started.traceFile } });
    expect(again.ok).toBe(true);
    s.dispose();
  });

  it('answers stateAt at the paused instant with the global variables as the runtime holds them', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    await ok(s, 'openObject', { example: 'fifo' });
    // Long enough that it cannot finish before the pause however fast the machine is.
    await ok(s, 'startRun', { workload: { preset: 'interactive' }, cpus: 2, seed: 1, durationNs: 3600e9 });
    // Let it get somewhere (past the first keyframes), then pause.
    for (let i = 0; i < 600; i++) {
      if ((await ok<{ tNs: number }>(s, 'runStatus', {})).tNs > 50_000_000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const paused = await ok<{ state: string; tNs: number }>(s, 'pause', {});
    expect(paused.state).toBe('paused');
    type G = { globals?: { name: string; value: string }[]; globalsAt?: number };
    const now = await ok<G>(s, 'stateAt', { t: paused.tNs });
    const count = (g: G) => ['nr_direct', 'nr_global'].reduce((a, n) => a + Number(g.globals!.find((x) => x.name === n)!.value), 0);
    // Live values: no "as of" time, and at least as far along as the last keyframe before.
    expect(now.globalsAt).toBeUndefined();
    expect(count(now)).toBeGreaterThan(0);
    const earlier = await ok<G>(s, 'stateAt', { t: Math.floor(paused.tNs / 2) });
    expect(earlier.globalsAt).toBeDefined();
    expect(count(earlier)).toBeLessThanOrEqual(count(now));
    await ok(s, 'stop', {});
    s.dispose();
  });

  it('pauses and resumes a run, and refuses a second run while one is active', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    await ok(s, 'openObject', { example: 'fifo' });
    await ok(s, 'startRun', { workload: 'cpu-hogs', cpus: 2, seed: 1, durationNs: 50_000_000 });
    const paused = await ok<{ state: string; tNs: number }>(s, 'pause', {});
    expect(paused.state).toBe('paused');
    expect(paused.tNs).toBeLessThan(50_000_000);
    const second = await s.handle({ method: 'startRun', params: { workload: 'cpu-hogs', cpus: 2, seed: 1 } });
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.error.code).toBe('run_state');
    const still = await ok<{ tNs: number }>(s, 'runStatus', {});
    expect(still.tNs).toBe(paused.tNs);
    const stopped = await ok<{ state: string }>(s, 'stop', {});
    expect(stopped.state).toBe('stopped');
    const bad = await s.handle({ method: 'resume', params: {} });
    expect(bad.ok).toBe(false);
    s.dispose();
  });

  it('names an unknown workload preset', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    await ok(s, 'openObject', { example: 'fifo' });
    const r = await s.handle({ method: 'startRun', params: { workload: { preset: '../../etc/passwd' }, cpus: 2, seed: 1 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'not_found', where: 'params.workload.preset' });
  });
});

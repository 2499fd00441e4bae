import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { WorkerSession } from './worker_session';

const assetsDir = new URL('../../../assets', import.meta.url).pathname;
const script = new URL('./session_worker.ts', import.meta.url);
let ws: WorkerSession | null = null;

afterEach(async () => {
  await ws?.dispose();
  ws = null;
});

describe('WorkerSession (the session in a worker thread)', () => {
  it('answers requests with validated results and typed errors', async () => {
    ws = new WorkerSession({ host: 'electron', assetsDir, script, fromSource: true, restrictPaths: true });
    const info = await ws.handle({ method: 'hostInfo', params: {} });
    expect(info).toEqual({ ok: true, result: { host: 'electron', version: expect.any(String), nativeDialogs: false } });
    const bad = await ws.handle({ method: 'stateAt', params: { t: 'x' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.where).toBe('params.t');
    const forbidden = await ws.handle({ method: 'openObject', params: { path: '/etc/hostname' } });
    expect(forbidden.ok).toBe(false);
    if (!forbidden.ok) expect(forbidden.error.code).toBe('forbidden');
    const example = await ws.handle({ method: 'openObject', params: { path: join(assetsDir, 'schedulers', 'fifo.bpf.o') } });
    expect(example.ok).toBe(true);
  });

  it('runs the simulator in the worker and forwards pushes; slices arrive as typed arrays', async () => {
    ws = new WorkerSession({ host: 'electron', assetsDir, script, fromSource: true });
    await ws.handle({ method: 'openObject', params: { example: 'fifo' } });
    const finished = new Promise<void>((resolve) => {
      ws!.onPush((channel, payload) => {
        if (channel === 'runState' && (payload as { state: string }).state === 'finished') resolve();
      });
    });
    const r = await ws.handle({ method: 'startRun', params: { workload: 'cpu-hogs', cpus: 2, seed: 2, durationNs: 10_000_000 } });
    expect(r.ok).toBe(true);
    await finished;
    const s = await ws.handle({ method: 'slices', params: { t0: 0, t1: 10_000_000, nsPerPx: 1000 } });
    expect(s.ok).toBe(true);
    if (s.ok) expect((s.result as { start: unknown }).start).toBeInstanceOf(Float64Array);
  });

  it('routes chooseFile to main and opens the chosen file in the worker', async () => {
    const fifo = join(assetsDir, 'schedulers', 'fifo.bpf.o');
    ws = new WorkerSession({ host: 'electron', assetsDir: '/nonexistent-assets', script, fromSource: true, restrictPaths: true, chooseFile: async () => fifo });
    const opened = new Promise<{ file: string }>((resolve) => {
      ws!.onPush((channel, payload) => {
        if (channel === 'objectOpened') resolve(payload as { file: string });
      });
    });
    const r = await ws.handle({ method: 'chooseFile', params: { kind: 'object' } });
    expect(r).toEqual({ ok: true, result: { canceled: false } });
    expect((await opened).file).toBe('fifo.bpf.o');
  });

  it('routes saveTrace to main’s save dialog and writes the finished run’s trace there', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'scxray-save-')), 'chosen.scxtrace');
    const asked: string[] = [];
    ws = new WorkerSession({
      host: 'electron', assetsDir, script, fromSource: true, restrictPaths: true,
      chooseSavePath: async (name) => (asked.push(name), target),
    });
    await ws.handle({ method: 'openObject', params: { example: 'fifo' } });
    const finished = new Promise<void>((resolve) => {
      ws!.onPush((channel, payload) => {
        if (channel === 'runState' && (payload as { state: string }).state === 'finished') resolve();
      });
    });
    const started = await ws.handle({ method: 'startRun', params: { workload: { preset: 'cpu-hogs' }, cpus: 2, seed: 1, durationNs: 5e6 } });
    expect(started.ok).toBe(true);
    await finished;
    const saved = await ws.handle({ method: 'saveTrace', params: {} });
    expect(saved).toMatchObject({ ok: true, result: { canceled: false, path: target } });
    expect(asked).toEqual(['fifo-run-1.scxtrace']);
    expect(readFileSync(target).subarray(0, 8).toString('latin1')).toBe('SCXTRACE');
    // the run's own temp trace opens under Electron's path policy; other paths do not
    const own = await ws.handle({ method: 'openTrace', params: { path: (started as { result: { traceFile: string } }).result.traceFile } });
    expect(own.ok).toBe(true);
  });

  it('fails pending and later requests clearly once the worker is gone', async () => {
    ws = new WorkerSession({ host: 'electron', assetsDir, script, fromSource: true });
    await ws.dispose();
    const r = await ws.handle({ method: 'hostInfo', params: {} });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/closed|exited/);
  });
});

describe('WorkerSession crash recovery', () => {
  it('a worker that dies is replaced; pending requests fail, the window is told what was lost, the new one serves', async () => {
    ws = new WorkerSession({ host: 'electron', assetsDir, script, fromSource: true });
    expect((await ws.handle({ method: 'openObject', params: { example: 'fifo' } })).ok).toBe(true);
    const told = new Promise<string>((resolve) => {
      ws!.onPush((channel, payload) => {
        if (channel === 'error') resolve((payload as { message: string }).message);
      });
    });
    const pending = ws.handle({ method: 'startRun', params: { workload: { preset: 'cpu-hogs' }, cpus: 64, seed: 1, durationNs: 3600e9 } });
    // The worker thread ends the way an out-of-memory or native crash ends it: from outside its own code.
    await (ws as unknown as { worker: Worker }).worker.terminate();
    const failed = await pending;
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error.message).toMatch(/^the session engine stopped: it exited \(code 1\)/);
    expect(await told).toMatch(/It was restarted: the open scheduler and the run in progress are gone \(open the object again\); trace files already written stay/);
    expect(ws.restarts).toBe(1);
    expect((await ws.handle({ method: 'hostInfo', params: {} })).ok).toBe(true);
    // the new worker starts empty: the object has to be opened again
    const run = await ws.handle({ method: 'startRun', params: { workload: { preset: 'cpu-hogs' }, cpus: 2, seed: 1, durationNs: 1e6 } });
    expect(run.ok).toBe(false);
    if (!run.ok) expect(run.error.code).toBe('no_object');
  }, 60_000);
});

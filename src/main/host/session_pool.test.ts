// The browser host's session pool: tabs are spread over worker threads; a
// worker that dies takes only its tabs' state (they are told and get fresh
// sessions), the other worker's tabs carry on and stay responsive.
import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { SessionPool, type PooledSession } from './session_pool';

const assetsDir = new URL('../../../assets', import.meta.url).pathname;
let pool: SessionPool | null = null;

afterEach(async () => {
  await pool?.close();
  pool = null;
});

function pushes(s: PooledSession, channel: string): unknown[] {
  const out: unknown[] = [];
  s.onPush((c, p) => {
    if (c === channel) out.push(p);
  });
  return out;
}

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SessionPool', () => {
  it('spreads sessions over its workers; a dead worker is replaced, its tabs are told, the other tabs go on', async () => {
    pool = new SessionPool({ size: 2, assetsDir, allowedDirs: [assetsDir], onDownload: () => undefined });
    const a = pool.openSession();
    const b = pool.openSession();
    const slots = (pool as unknown as { slots: { worker: Worker; sessions: Map<number, unknown> }[] }).slots;
    expect(slots.map((s) => [...s.sessions.keys()])).toEqual([[a.id], [b.id]]);
    for (const s of [a, b]) expect((await s.handle({ method: 'openObject', params: { example: 'fifo' } })).ok).toBe(true);
    const progressB = pushes(b, 'progress');
    const errorsA = pushes(a, 'error');
    const errorsB = pushes(b, 'error');
    // b runs long on its worker while a's worker dies
    expect((await b.handle({ method: 'startRun', params: { workload: { preset: 'cpu-hogs' }, cpus: 8, seed: 1, durationNs: 600e9 } })).ok).toBe(true);
    await slots[0]!.worker.terminate();
    await until(() => errorsA.length > 0);
    expect((errorsA[0] as { message: string }).message).toMatch(/^the session engine stopped: it exited \(code 1\)\. It was restarted: the open scheduler and the run in progress are gone/);
    expect(pool.restarts).toBe(1);
    // a's fresh session answers, without its object
    expect((await a.handle({ method: 'hostInfo', params: {} })).ok).toBe(true);
    const r = await a.handle({ method: 'startRun', params: { workload: { preset: 'cpu-hogs' }, cpus: 2, seed: 1, durationNs: 1e6 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('no_object');
    // b never noticed: its run is still going and its session answers
    const before = progressB.length;
    await until(() => progressB.length > before);
    expect(errorsB).toEqual([]);
    const st = await b.handle({ method: 'runStatus', params: {} });
    expect(st.ok && (st.result as { state: string }).state).toBe('running');
    expect((await b.handle({ method: 'stop', params: {} })).ok).toBe(true);
    a.dispose();
    b.dispose();
  }, 60_000);

  it('a tab on one worker is answered quickly while the other worker runs a big simulation', async () => {
    pool = new SessionPool({ size: 2, assetsDir, allowedDirs: [assetsDir], onDownload: () => undefined });
    const busy = pool.openSession();
    const other = pool.openSession();
    expect((await busy.handle({ method: 'openObject', params: { example: 'vtime' } })).ok).toBe(true);
    expect((await other.handle({ method: 'hostInfo', params: {} })).ok).toBe(true);
    expect((await busy.handle({ method: 'startRun', params: { workload: { preset: 'cpu-hogs' }, cpus: 64, seed: 1, durationNs: 600e9 } })).ok).toBe(true);
    // the main thread's event loop stays free, and the other worker answers at once
    let worstLag = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstLag = Math.max(worstLag, now - last - 10);
      last = now;
    }, 10);
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      expect((await other.handle({ method: 'listExamples', params: {} })).ok).toBe(true);
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
    clearInterval(timer);
    expect(Math.max(...times)).toBeLessThan(500);
    expect(worstLag).toBeLessThan(200);
    await busy.handle({ method: 'stop', params: {} });
    busy.dispose();
    other.dispose();
  }, 60_000);
});

// Live runs' temp traces: deleted when the session lets go of them (stop and
// close, a new run), kept when saved ("Save trace as…" copies them out),
// openable by their own session even under Electron's path policy, and
// swept at start when the process that recorded them is gone.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Session, type PushListener } from './session';
import { cleanStaleRunDirs, createRunDir, RUN_DIR_PREFIX } from './run_dirs';
import { TraceReader } from '../../sim/trace/reader';
import type { RunStatus, SaveTraceResult } from '../../protocol/contract';

const assetsDir = new URL('../../../assets', import.meta.url).pathname;

async function ok<T>(s: Session, method: string, params: unknown): Promise<T> {
  const r = await s.handle({ method, params });
  if (!r.ok) throw new Error(`${method} failed: ${r.error.code}: ${r.error.message}`);
  return r.result as T;
}

/** Start a long run and stop it once it has recorded something. */
async function stoppedRun(s: Session): Promise<string> {
  await ok(s, 'openObject', { example: 'fifo' });
  const started = await ok<{ traceFile: string }>(s, 'startRun', { workload: { preset: 'cpu-hogs' }, cpus: 2, seed: 1, durationNs: 60e9 });
  const progressed = new Promise<void>((resolve) => {
    const l: PushListener = (c) => {
      if (c === 'progress') resolve();
    };
    s.onPush(l);
  });
  await progressed;
  const st = await ok<RunStatus>(s, 'stop', {});
  expect(st.state).toBe('stopped');
  return started.traceFile;
}

describe('live run temp traces', () => {
  it('a stopped run’s trace is deleted with its session; a saved copy is kept and complete', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    const trace = await stoppedRun(s);
    expect(dirname(trace)).toMatch(new RegExp(`${RUN_DIR_PREFIX}`));
    expect(existsSync(trace)).toBe(true);
    const out = join(mkdtempSync(join(tmpdir(), 'scxray-saved-')), 'kept.scxtrace');
    const saved = await ok<SaveTraceResult>(s, 'saveTrace', { path: out });
    expect(saved).toMatchObject({ canceled: false, path: out });
    expect(saved.bytes).toBeGreaterThan(1000);
    s.dispose();
    expect(existsSync(trace)).toBe(false);
    expect(existsSync(dirname(trace))).toBe(false);
    expect(existsSync(out)).toBe(true);
    const r = TraceReader.open(out);
    expect(r.recovery.complete).toBe(true);
    expect(r.eventCount).toBeGreaterThan(0);
    r.close();
  });

  it('a new run deletes the previous run’s trace; saving while running is refused', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    const first = await stoppedRun(s);
    const second = await ok<{ traceFile: string }>(s, 'startRun', { workload: { preset: 'cpu-hogs' }, cpus: 2, seed: 2, durationNs: 60e9 });
    expect(existsSync(first)).toBe(false);
    expect(existsSync(second.traceFile)).toBe(true);
    const r = await s.handle({ method: 'saveTrace', params: { path: join(tmpdir(), 'never.scxtrace') } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/still going/);
    s.dispose();
    expect(existsSync(second.traceFile)).toBe(false);
  });

  it('the session opens the trace its own run reports even where other paths are refused (Electron)', async () => {
    const s = new Session({ host: 'electron', assetsDir, allowPath: (p) => p.startsWith(assetsDir) });
    const trace = await stoppedRun(s);
    const opened = await s.handle({ method: 'openTrace', params: { path: trace } });
    expect(opened.ok).toBe(true);
    const other = await s.handle({ method: 'openTrace', params: { path: join(tmpdir(), 'elsewhere.scxtrace') } });
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.error.code).toBe('forbidden');
    s.dispose();
    expect(existsSync(trace)).toBe(false);
  });

  it('the browser host offers a download when no path is given', async () => {
    const offered: string[] = [];
    const s = new Session({ host: 'browser', assetsDir, offerDownload: (file, name) => (offered.push(file), `/download/x/${name}`) });
    const trace = await stoppedRun(s);
    const r = await ok<SaveTraceResult>(s, 'saveTrace', {});
    expect(r.downloadUrl).toBe('/download/x/fifo-run-1.scxtrace');
    expect(offered).toEqual([trace]);
    s.dispose();
  });

  it('sweeps folders whose recording process is gone, keeps live ones', () => {
    const root = mkdtempSync(join(tmpdir(), 'scxray-sweep-'));
    const mine = createRunDir(root);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const gone = join(root, `${RUN_DIR_PREFIX}gone`);
    mkdirSync(gone);
    writeFileSync(join(gone, 'owner'), `${dead.stdout}\n`);
    writeFileSync(join(gone, 'run-1.scxtrace'), 'x'.repeat(1000));
    const oldUnowned = join(root, `${RUN_DIR_PREFIX}old`);
    mkdirSync(oldUnowned);
    const twoHoursAgo = (Date.now() - 2 * 3600e3) / 1000;
    utimesSync(oldUnowned, twoHoursAgo, twoHoursAgo);
    const newUnowned = join(root, `${RUN_DIR_PREFIX}new`);
    mkdirSync(newUnowned);
    const removed = cleanStaleRunDirs(root);
    expect(removed.sort()).toEqual([gone, oldUnowned].sort());
    expect(existsSync(mine)).toBe(true);
    expect(existsSync(newUnowned)).toBe(true);
  });
});

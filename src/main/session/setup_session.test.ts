// The session API's side of setup modules and compound knobs: openObject
// lists the leaves of array and struct knobs as --set paths with their
// initial values; startRun takes a setup module uploaded by the local user,
// runs it, records its output as events, and refuses a bad one with a typed
// error naming the module's file and line.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from './session';
import type { ObjectSummary, EventsResult } from '../../protocol/contract';
import type { RunInfo } from '../../model/events';
import { bpfFixtureBytes } from '../../../test/support/bpf';
import { REPO_ROOT } from '../../sim/testing/fixtures';

const assetsDir = join(REPO_ROOT, 'assets');
const knobs = Buffer.from(bpfFixtureBytes('test/bpf/setup/knobs.bpf.c')).toString('base64');
const upload = (name: string, text: string) => ({ name, dataBase64: Buffer.from(text).toString('base64') });

async function ok<T>(s: Session, method: string, params: unknown): Promise<T> {
  const r = await s.handle({ method, params });
  if (!r.ok) throw new Error(`${method} failed: ${r.error.code}: ${r.error.message}`);
  return r.result as T;
}

function finished(s: Session): Promise<void> {
  return new Promise((resolve) => {
    const off = s.onPush((channel, payload) => {
      const state = (payload as { state?: string }).state;
      if (channel === 'runState' && (state === 'finished' || state === 'failed' || state === 'stopped')) {
        off();
        resolve();
      }
    });
  });
}

describe('Session: setup modules and compound knobs', () => {
  it('openObject lists array and struct knobs leaf by leaf, as --set paths with initial values', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    const sum = await ok<ObjectSummary>(s, 'openObject', { name: 'knobs.bpf.o', dataBase64: knobs });
    const g = (n: string) => sum.globals.find((x) => x.name === n)!;
    expect(g('pair_cpu').fields!.map((f) => f.path)).toEqual(Array.from({ length: 8 }, (_, i) => `pair_cpu[${i}]`));
    expect(g('pair_cpu').fields![0]).toEqual({ path: 'pair_cpu[0]', typeName: 's32', initial: '0' });
    expect(g('cfg').fields).toEqual([
      { path: 'cfg.slice_ns', typeName: 'u64', initial: '20000000' },
      { path: 'cfg.batch', typeName: 'u32', initial: '1' },
      { path: 'cfg.tag', typeName: 'char[16]', initial: 'default' },
    ]);
    expect(g('nr_cpu_ids').fields).toBeUndefined();
    s.dispose();
  });

  it('startRun runs an uploaded setup module: its hash in the run info, its output and every() rounds as events', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    await ok(s, 'openObject', { name: 'knobs.bpf.o', dataBase64: knobs });
    const done = finished(s);
    const src = readFileSync(join(REPO_ROOT, 'test/bpf/setup/knobs.setup.mjs'), 'utf8');
    const started = await ok<{ info: RunInfo }>(s, 'startRun', {
      workload: { preset: 'cpu-hogs' }, cpus: 4, seed: 1, durationNs: 1_100_000_000,
      sets: { 'cfg.batch': '3' }, setup: upload('knobs.setup.mjs', src),
    });
    expect(started.info.setup?.file).toBe('knobs.setup.mjs');
    expect(started.info.setup?.sha256).toMatch(/^[0-9a-f]{64}$/);
    await done;
    const ev = await ok<EventsResult>(s, 'events', { t0: 0, t1: 1_100_000_001, kinds: ['printk'], limit: 100 });
    const lines = ev.events.flatMap((e) => (e.kind === 'printk' ? [`${e.t} ${e.program} ${e.text}`] : []));
    expect(lines).toContain('0 setup configured 4 cpus, 2 pairs');
    expect(lines).toContain('1000000000 setup:every every(1000ms) #1');
    s.dispose();
  });

  it('takes a setup module only as an upload from the page, never as a host path', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    await ok(s, 'openObject', { name: 'knobs.bpf.o', dataBase64: knobs });
    const r = await s.handle({ method: 'startRun', params: { workload: 'cpu-hogs', cpus: 4, seed: 1, setup: { path: join(REPO_ROOT, 'test/bpf/setup/knobs.setup.mjs') } } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('invalid_request');
    s.dispose();
  });

  it('a setup module that fails before attach is a run_failed error naming its file and line', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    await ok(s, 'openObject', { name: 'knobs.bpf.o', dataBase64: knobs });
    const r = await s.handle({ method: 'startRun', params: { workload: 'cpu-hogs', cpus: 4, seed: 1, setup: upload('bad.mjs', 'export function beforeLoad(skel) {\n  skel.rodata.cfg.batch = -1;\n}\n') } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('run_failed');
      expect(r.error.file).toBe('bad.mjs');
      expect(r.error.message).toBe('the setup module failed: bad.mjs:2: beforeLoad(skel): skel.rodata.cfg.batch: -1 is out of range: skel.rodata.cfg.batch is a u32 (0 to 4294967295)');
    }
    s.dispose();
  });
});

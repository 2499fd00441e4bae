// Global variables in snapshots: the live snapshot reads what the programs
// wrote (fifo counts its direct and global dispatches), and trace replay
// gives the keyframe's values marked with globalsAt.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Simulation } from '../simulation';
import { exampleScheduler } from '../testing/fixtures';
import { TraceReader } from './reader';
import { TraceRecorder } from './recorder';

const dir = mkdtempSync(join(tmpdir(), 'scxray-globals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const value = (s: { globals?: { name: string; value: string }[] }, name: string) => s.globals?.find((g) => g.name === name)?.value;

describe('global variables in snapshots', () => {
  it('live snapshots carry the values the programs wrote, replay carries the keyframe values with globalsAt', () => {
    const sim = new Simulation({ objectBytes: exampleScheduler('fifo'), file: 'fifo.bpf.o', workload: 'interactive', cpus: 2, seed: 3 });
    const path = join(dir, 'fifo.scxtrace');
    const rec = new TraceRecorder(path, sim.info, { chunkEvents: 200, snapshot: () => sim.snapshot() });
    sim.on((e) => rec.event(e));
    const before = sim.snapshot();
    expect(value(before, 'nr_global')).toBe('0');
    sim.runFor(50_000_000);
    const after = sim.snapshot();
    const direct = Number(value(after, 'nr_direct'));
    const global = Number(value(after, 'nr_global'));
    expect(direct + global).toBeGreaterThan(0);
    expect(after.globals!.find((g) => g.name === 'nr_global')!.section).toBe('.bss');
    rec.close();

    const r = TraceReader.open(path);
    const mid = r.stateAt(after.t);
    expect(mid.globals).toBeDefined();
    expect(mid.globalsAt).toBeLessThanOrEqual(after.t);
    const kf = r.keyframe(r.chunkCount - 1);
    // The replayed values are exactly the last keyframe's before t.
    const kfBefore = Array.from({ length: r.chunkCount }, (_, i) => r.keyframe(i)).filter((k) => k.t <= after.t).pop()!;
    expect(mid.globals).toEqual(kfBefore.globals);
    expect(mid.globalsAt).toBe(kfBefore.t);
    expect(kf.globals!.length).toBe(after.globals!.length);
  });
});

describe('map contents in snapshots', () => {
  it('lists the entries of the scheduler maps live and replays them from keyframes', () => {
    const sim = new Simulation({ objectBytes: exampleScheduler('cgweight'), file: 'cgweight.bpf.o', workload: 'cgroups', cpus: 2, seed: 1 });
    const path = join(dir, 'cgweight.scxtrace');
    const rec = new TraceRecorder(path, sim.info, { chunkEvents: 200, snapshot: () => sim.snapshot() });
    sim.on((e) => rec.event(e));
    sim.runFor(30_000_000);
    const live = sim.snapshot();
    const cg = live.maps?.find((m) => m.name === 'cgrp_ctxs');
    expect(cg?.type).toBe('hash');
    expect(cg!.count).toBeGreaterThan(0);
    expect(cg!.entries.length).toBe(Math.min(64, cg!.count));
    expect(cg!.entries[0]!.value).toMatch(/^[0-9a-f]+…?$/);
    // Global data and struct_ops are not maps here (globals has them).
    expect(live.maps!.some((m) => m.name === '.bss' || m.type === 'struct_ops')).toBe(false);
    rec.close();
    const r = TraceReader.open(path);
    const replayed = r.stateAt(live.t);
    expect(replayed.maps?.find((m) => m.name === 'cgrp_ctxs')).toBeDefined();
    expect(replayed.globalsAt).toBeLessThanOrEqual(live.t);
  });
});

// Workload timing irregularity (schema `timing`): per-CPU tick phase and
// run/sleep jitter, deterministic per seed. Without it a workload of whole
// milliseconds puts every slice end on a tick boundary and no task overruns
// its slice; with it slice ends fall between ticks and tasks run past their
// slice until the tick that sees it used up (task_tick_scx()), as on real
// hardware.

import { describe, expect, it } from 'vitest';
import { testWorld } from '../testing/test_world';
import { dsqInsert } from '../core/dispatch';
import { DSQ_GLOBAL } from '../kernel/consts';
import { TICK_NS } from '../machine';
import { loadWorkload } from './load';

const MS = 1_000_000;
const SLICE = 5 * MS;

function run(timing: unknown, seed = 1) {
  const stints: { pid: number; start: number; end: number }[] = [];
  const startOf = new Map<number, number>();
  const workload = {
    name: 'ms-aligned',
    ...(timing ? { timing } : {}),
    groups: [{ name: 'w', count: 6, steps: [{ run: '12ms' }, { sleep: '2ms' }] }],
  };
  const { world, events } = testWorld({
    ops: {
      enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, BigInt(SLICE), 0n); },
      running: (core, a, task) => { startOf.set(task(a[0]!).pid, core.now()); },
      stopping: (core, a, task) => {
        const pid = task(a[0]!).pid;
        // runnable = 1: it stopped with work left, i.e. its slice ran out
        if (a[1] === 1n) stints.push({ pid, start: startOf.get(pid)!, end: core.now() });
      },
    },
  }, workload, 2, seed);
  world.machine.runUntil(300 * MS);
  return { stints, events };
}

describe('workload timing: per-CPU tick phase and run/sleep jitter', () => {
  it('task_tick_scx: without timing every slice end lands on a tick and none overruns; with it slice ends fall between ticks and overruns occur', () => {
    const off = run(undefined);
    expect(off.stints.length).toBeGreaterThan(50);
    expect(off.stints.every((s) => s.end % TICK_NS === 0)).toBe(true);
    expect(off.stints.filter((s) => s.end - s.start > SLICE)).toHaveLength(0);

    const on = run({ tickPhase: true, jitter: 0.1 });
    expect(on.stints.length).toBeGreaterThan(50);
    const offTick = on.stints.filter((s) => s.end % TICK_NS !== 0);
    expect(offTick.length).toBeGreaterThan(on.stints.length / 2);
    const overruns = on.stints.filter((s) => s.end - s.start > SLICE);
    expect(overruns.length).toBeGreaterThan(10);
    // an overrun lasts until the next tick: less than one tick past the slice
    for (const s of overruns) expect(s.end - s.start - SLICE).toBeLessThan(TICK_NS);
  });

  it('tick phase alone: slices started on a millisecond end off the tick grid and overrun', () => {
    const on = run({ tickPhase: true });
    expect(on.stints.some((s) => s.end % TICK_NS !== 0)).toBe(true);
    expect(on.stints.some((s) => s.end - s.start > SLICE)).toBe(true);
  });

  it('same seed, same run; another seed, another run', () => {
    const timing = { tickPhase: true, jitter: 0.2 };
    const a = JSON.stringify(run(timing, 7).events);
    const b = JSON.stringify(run(timing, 7).events);
    const c = JSON.stringify(run(timing, 8).events);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('the realistic presets turn timing on; the calibration presets (exact shares, placement) keep it off', () => {
    for (const name of ['overload', 'fork-burst', 'pipe-pingpong', 'interactive']) {
      expect({ name, timing: loadWorkload(name).timing }).toEqual({ name, timing: { tickPhase: true, jitter: 0.1 } });
    }
    for (const name of ['cpu-hogs', 'cgroups', 'affinity-pinned']) expect({ name, timing: loadWorkload(name).timing }).toEqual({ name, timing: undefined });
  });
});

import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../model/events';
import { LATENCY_EDGES, latencyHistogram, runSide, wakeLatencies } from './wake_latency';

describe('wakeLatencies', () => {
  it('measures runnable-after-sleep (or new) to the next switch-in, not preemptions', () => {
    const ev: SimEvent[] = [
      { t: 0, kind: 'task_new', pid: 1, comm: 'a', weight: 100 },
      { t: 10, kind: 'task_state', pid: 1, state: 'runnable', cpu: 0 },
      { t: 25, kind: 'switch', cpu: 0, prevPid: 0, nextPid: 1 },
      { t: 25, kind: 'task_state', pid: 1, state: 'running', cpu: 0 },
      // preempted: runnable from running is not a wakeup
      { t: 40, kind: 'task_state', pid: 1, state: 'runnable', cpu: 0 },
      { t: 40, kind: 'switch', cpu: 0, prevPid: 1, nextPid: 0 },
      { t: 50, kind: 'switch', cpu: 0, prevPid: 0, nextPid: 1 },
      { t: 50, kind: 'task_state', pid: 1, state: 'running', cpu: 0 },
      { t: 60, kind: 'task_state', pid: 1, state: 'sleeping', cpu: 0 },
      { t: 60, kind: 'switch', cpu: 0, prevPid: 1, nextPid: 0 },
      { t: 100, kind: 'task_state', pid: 1, state: 'runnable', cpu: 1 },
      { t: 1100, kind: 'switch', cpu: 1, prevPid: 0, nextPid: 1 },
    ];
    expect(wakeLatencies(ev)).toEqual([15, 1000]);
  });
});

describe('latencyHistogram', () => {
  it('bins 1-2-5 per decade from 1 µs to 1 s, below 1 µs in the first bin, 1 s and over in the last', () => {
    expect(LATENCY_EDGES.slice(0, 5)).toEqual([0, 1e3, 2e3, 5e3, 1e4]);
    expect(LATENCY_EDGES.at(-1)).toBe(1e9);
    const h = latencyHistogram([500, 1000, 1999, 2000, 4_999_999, 5e6, 3e9]);
    expect(h.total).toBe(7);
    const at = (ns: number) => h.counts[LATENCY_EDGES.indexOf(ns)];
    expect(at(0)).toBe(1);
    expect(at(1e3)).toBe(2);
    expect(at(2e3)).toBe(1);
    expect(at(2e6)).toBe(1);
    expect(at(5e6)).toBe(1);
    expect(at(1e9)).toBe(1);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(7);
  });
});

describe('runSide', () => {
  it('per-CPU busy fraction to the end, migrations between consecutive runs', () => {
    const ev: SimEvent[] = [
      { t: 0, kind: 'switch', cpu: 0, prevPid: 0, nextPid: 1 },
      { t: 30, kind: 'switch', cpu: 0, prevPid: 1, nextPid: 0 },
      { t: 40, kind: 'switch', cpu: 1, prevPid: 0, nextPid: 1 },
      { t: 50, kind: 'switch', cpu: 1, prevPid: 1, nextPid: 2 },
      { t: 60, kind: 'switch', cpu: 0, prevPid: 0, nextPid: 1 },
    ];
    const r = runSide(ev, 2, 100);
    expect(r.utilization).toEqual([(30 + 40) / 100, (10 + 50) / 100]);
    expect(r.migrations).toBe(2);
  });
});

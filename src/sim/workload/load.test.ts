import { describe, expect, it } from 'vitest';
import { listPresets, loadWorkload, validateWorkload, WorkloadError } from './load';
import { parseDuration, parseCpuList } from './schema';
import { TaskBehaviour, sampleDuration } from './behaviour';
import { Rng } from './rng';
import { scxWeightFromNice } from '../kernel/consts';

describe('workloads', () => {
  it('every preset parses and has a description', () => {
    const presets = listPresets();
    expect(presets.length).toBeGreaterThanOrEqual(6);
    for (const p of presets) {
      expect(p.description.length).toBeGreaterThan(10);
      expect(loadWorkload(p.name).name).toBe(p.name);
    }
  });

  it('errors name the offending field', () => {
    const bad = { name: 'x', groups: [{ name: 'a', steps: [{ run: '5 parsecs' }] }] };
    expect(() => validateWorkload(bad, 'bad.json')).toThrow(/groups\.0\.steps\.0/);
    expect(() => validateWorkload({ name: 'x', groups: [{ name: 'a', steps: [{ wake: 'nobody' }] }] })).toThrow(/groups\.0\.steps\.0: no task group named "nobody"/);
    expect(() => validateWorkload({ name: 'x', groups: [{ name: 'a', cgroup: '/nope', steps: [{ run: 1 }] }] })).toThrow(/groups\.0\.cgroup: "\/nope" is not declared/);
    expect(() => validateWorkload({ name: 'x', groups: [] })).toThrow(WorkloadError);
    expect(() => loadWorkload('no-such-thing')).toThrow(/presets: /);
  });

  it('parses durations and CPU lists', () => {
    expect(parseDuration('1.5ms')).toBe(1_500_000);
    expect(parseDuration('200us')).toBe(200_000);
    expect(parseDuration(42)).toBe(42);
    expect(() => parseDuration('5 min')).toThrow(/bad duration/);
    expect([...parseCpuList('0-2,5', 8)]).toEqual([1, 1, 1, 0, 0, 1, 0, 0]);
  });

  it('nice maps to the kernel weight table scaled to scx weights (nice 0 = 100)', () => {
    expect(scxWeightFromNice(0)).toBe(100);
    expect(scxWeightFromNice(-20)).toBe(8668);
    expect(scxWeightFromNice(19)).toBe(1);
    expect(scxWeightFromNice(5)).toBe(33);
  });

  it('distributions are seeded: the same stream gives the same draws, the exponential mean is right', () => {
    const a = new Rng(1, 5);
    const b = new Rng(1, 5);
    const draws = Array.from({ length: 2000 }, () => sampleDuration({ dist: 'exp', mean: 1000 }, a));
    expect(Array.from({ length: 2000 }, () => sampleDuration({ dist: 'exp', mean: 1000 }, b))).toEqual(draws);
    const mean = draws.reduce((x, y) => x + y, 0) / draws.length;
    expect(mean).toBeGreaterThan(900);
    expect(mean).toBeLessThan(1100);
  });

  it('a wakeup that arrives before the wait is not lost (pipe semantics)', () => {
    const w = validateWorkload({ name: 'p', groups: [{ name: 'a', steps: [{ run: 10 }, { wait: true }] }] });
    const b = new TaskBehaviour(w.groups[0]!, 0, 0, 1, 1);
    const host = { now: () => 0, wake: () => {}, fork: () => {}, nice: () => {}, renice: () => {}, affinity: () => {}, moveCgroup: () => {}, setCgroupWeight: () => {}, setCgroupBandwidth: () => {}, setCgroupIdle: () => {} };
    expect(b.advance(host)).toEqual({ kind: 'run', ns: 10 });
    expect(b.deliverWake()).toBe(false);
    // the pending wakeup is consumed: the task runs again instead of blocking
    expect(b.advance(host)).toEqual({ kind: 'run', ns: 10 });
    expect(b.advance(host)).toEqual({ kind: 'wait' });
    expect(b.deliverWake()).toBe(true);
  });
});

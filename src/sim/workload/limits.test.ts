// Workload bombs are refused (or bounded) before they cost memory or time:
// CPU lists past the largest machine, task counts past the per-run cap,
// perCpu groups that scale past it, fork storms.
import { describe, expect, it } from 'vitest';
import { MAX_CPUS, MAX_TASKS } from '../../base/limits';
import { Simulation } from '../simulation';
import { exampleScheduler } from '../testing/fixtures';
import { validateWorkload, WorkloadError } from './load';
import { parseCpuList } from './schema';

const group = (extra: Record<string, unknown>) => ({ name: 'w', steps: [{ run: '1ms' }, { sleep: '1ms' }], ...extra });
const workload = (groups: unknown[], extra: Record<string, unknown> = {}) => ({ name: 'bomb', groups, ...extra });

function refusal(raw: unknown): string {
  try {
    validateWorkload(raw, 'bomb.json');
  } catch (e) {
    expect(e).toBeInstanceOf(WorkloadError);
    return (e as Error).message;
  }
  throw new Error('the workload was accepted');
}

describe('workload bounds', () => {
  it('refuses a CPU range past the largest machine without building it, naming the field', () => {
    const t0 = performance.now();
    const msg = refusal(workload([group({ cpus: '0-2000000000' })]));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(msg).toContain('groups.0.cpus');
    expect(msg).toContain(`CPUs 0-${MAX_CPUS - 1}`);
    expect(refusal(workload([group({ cpus: '0-4294967296' })]))).toContain('0-4294967296');
    expect(refusal(workload([group({ cpus: '7-3' })]))).toContain('runs backwards');
    expect(refusal(workload([group({ cpus: [0, MAX_CPUS] })]))).toContain('groups.0.cpus');
    expect(refusal(workload([group({ steps: [{ affinity: `0-${MAX_CPUS}` }] })]))).toContain('groups.0.steps.0');
  });

  it('accepts the whole largest machine', () => {
    expect(() => validateWorkload(workload([group({ cpus: `0-${MAX_CPUS - 1}` })]), 'ok.json')).not.toThrow();
    expect(parseCpuList(`0-${MAX_CPUS - 1}`, 4)).toEqual(new Uint8Array([1, 1, 1, 1]));
  });

  it('refuses counts, perCpu and fork counts past the task cap, naming the field', () => {
    expect(refusal(workload([group({ count: MAX_TASKS + 1 })]))).toMatch(/groups\.0\.count: at most 16384 tasks/);
    expect(refusal(workload([group({ perCpu: 1e9 })]))).toContain('groups.0.perCpu');
    expect(refusal(workload([group({ steps: [{ fork: 'w', count: 1e9 }] })]))).toContain('groups.0.steps.0');
  });

  it('refuses a perCpu group that the machine size takes past the cap when the run is set up', () => {
    const w = validateWorkload(workload([group({ count: 2 }), group({ name: 'many', perCpu: 100 })]), 'percpu.json');
    const t0 = performance.now();
    expect(() => new Simulation({ objectBytes: exampleScheduler('fifo'), file: 'fifo.bpf.o', workload: w, cpus: 256, seed: 1 })).toThrow(
      /groups\.1 \("many"\): perCpu 100 gives 25600 tasks on this machine, 25602 tasks in all, more than the 16384-task cap/,
    );
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('stops forking at the live-task cap, like fork() failing with EAGAIN', () => {
    const w = validateWorkload(
      workload([
        { name: 'spawner', steps: [{ fork: 'child', count: MAX_TASKS }, { sleep: '1ms' }] },
        { name: 'child', template: true, count: 0, startBlocked: true, steps: [{ wait: true }] },
      ]),
      'forks.json',
    );
    const sim = new Simulation({ objectBytes: exampleScheduler('fifo'), file: 'fifo.bpf.o', workload: w, cpus: 2, seed: 1 });
    let created = 0;
    sim.on((ev) => {
      if (ev.kind === 'task_new') created++;
    });
    sim.runUntil(5_000_000);
    // the spawner and 16383 children; unbounded, five 1 ms rounds would fork 81920
    expect(created).toBe(MAX_TASKS);
  }, 60_000);
});

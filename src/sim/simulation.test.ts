// The simulator driving real clang-built schedulers through the real
// loader, runtime and VM.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { exampleScheduler, simFixture } from './testing/fixtures';
import type { SimEvent } from '../model/events';

const MS = 1_000_000;

function sim(bytes: Uint8Array, file: string, workload: string, extra: Partial<ConstructorParameters<typeof Simulation>[0]> = {}) {
  return new Simulation({ objectBytes: bytes, file, workload, cpus: 2, seed: 7, ...extra });
}

function printks(events: SimEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'printk' ? [e.text] : []));
}

describe('Simulation with real scheduler objects', () => {
  it('select_cpu direct dispatch to SCX_DSQ_LOCAL skips enqueue', () => {
    const s = sim(simFixture('local_direct'), 'local_direct.bpf.o', 'interactive');
    const events: SimEvent[] = [];
    s.on((e) => events.push(e));
    s.runFor(200 * MS);
    s.unload();
    const line = printks(events).find((t) => t.startsWith('select'));
    const m = /select (\d+) wakeup-enqueue (\d+) other-enqueue (\d+)/.exec(line ?? '');
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(50);
    expect(Number(m![2])).toBe(0);
    // slice expiries of the batch hog still come through ops.enqueue
    expect(Number(m![3])).toBeGreaterThan(0);
  });

  it('watchdog ejects a scheduler that never dispatches', () => {
    const s = sim(simFixture('never_dispatch'), 'never_dispatch.bpf.o', 'cpu-hogs');
    const events: SimEvent[] = [];
    s.on((e) => events.push(e));
    s.runFor(2000 * MS);
    const sum = s.summary();
    expect(sum.exit.kind).toBe('SCX_EXIT_ERROR_STALL');
    expect(sum.exit.message).toMatch(/failed to run for 0\.\d{3}s/);
    expect(printks(events)).toContain('never_dispatch exit kind 1026');
    // after the ejection the fallback policy runs every task
    for (const t of sum.tasks) expect(t.runtimeNs).toBeGreaterThan(0);
  });

  it('scx_bpf_error ejects with the message and source line, after dump ops, disable for every task and ops.exit', () => {
    const s = sim(simFixture('error_exit'), 'error_exit.bpf.o', 'overload');
    const events: SimEvent[] = [];
    s.on((e) => events.push(e));
    s.runFor(500 * MS);
    const sum = s.summary();
    expect(sum.exit.kind).toBe('SCX_EXIT_ERROR_BPF');
    expect(sum.exit.reason).toBe('scx_bpf_error');
    expect(sum.exit.message).toMatch(/enqueue budget of 50 used up by pid \d+/);
    expect(sum.exit.program).toBe('ee_enqueue');
    expect(sum.exit.line).toBeGreaterThan(0);
    expect(printks(events)).toContain('error_exit dump: 50 enqueued\n');
    const exitLine = printks(events).find((t) => t.startsWith('exit kind'));
    // every live task is disabled before ops.exit runs
    expect(exitLine).toMatch(new RegExp(`^exit kind 1025 dump_task [1-9]\\d* disable ${sum.tasks.filter((t) => !t.exited).length}$`));
  });

  it('kfunc contexts are enforced: scx_bpf_dsq_move_to_local from ops.enqueue is an error exit', () => {
    const s = sim(simFixture('error_exit'), 'error_exit.bpf.o', 'cpu-hogs', { sets: { bad_context: 1n } });
    s.runFor(50 * MS);
    const sum = s.summary();
    expect(sum.exit.kind).toBe('SCX_EXIT_ERROR');
    expect(sum.exit.message).toMatch(/only ops.dispatch/);
  });

  it.each([
    ['6.12.0', 0],
    ['6.13.0', 1],
    ['6.19.0', 2],
  ])('kfunc signatures follow the emulated kernel %s (scx_bpf_dsq_insert variant %d)', (version, variant) => {
    const s = sim(simFixture('compat_insert'), 'compat_insert.bpf.o', 'cpu-hogs', { kernelVersion: version });
    s.runFor(1 * MS);
    const sum = s.summary();
    expect(sum.exit.kind).toBe('SCX_EXIT_UNREG_BPF');
    expect(sum.exit.message).toBe(`insert variant ${variant}`);
  });

  it('is deterministic: same object, workload and seed give identical events', () => {
    const run = (seed: number) => {
      const s = sim(exampleScheduler('vtime'), 'vtime.bpf.o', 'fork-burst', { seed });
      const events: string[] = [];
      s.on((e) => events.push(JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))));
      s.runFor(100 * MS);
      return events;
    };
    const a = run(3);
    expect(a.length).toBeGreaterThan(500);
    expect(run(3)).toEqual(a);
    expect(run(4)).not.toEqual(a);
  });

  it('the vtime scheduler gives CPU shares within 5% of weight shares on the cpu-hogs preset', () => {
    const s = sim(exampleScheduler('vtime'), 'vtime.bpf.o', 'cpu-hogs', { cpus: 4 });
    s.runFor(1000 * MS);
    const sum = s.summary();
    expect(sum.exit.kind).toBe('none');
    expect(sum.fairness).toHaveLength(16);
    expect(sum.fairnessMaxError).toBeLessThan(0.05);
  });

  it('a cgroup-weighted scheduler shares the machine by cpu.weight (cgroup_init, cgroup_move on moves)', () => {
    const s = sim(exampleScheduler('cgweight'), 'cgweight.bpf.o', 'cgroups', { cpus: 4 });
    const ops: string[] = [];
    s.on((e) => { if (e.kind === 'op' && e.op.startsWith('cgroup')) ops.push(e.op); });
    s.runFor(1000 * MS);
    const sum = s.summary();
    expect(sum.exit.kind).toBe('none');
    const by: Record<string, number> = {};
    for (const t of sum.tasks) if (t.comm !== 'mover-0') by[t.cgroup!] = (by[t.cgroup!] ?? 0) + t.runtimeNs;
    const webShare = by['/web']! / (by['/web']! + by['/batch']!);
    expect(Math.abs(webShare - 0.75)).toBeLessThan(0.05 * 0.75);
    // root, /batch, /web initialised before any move
    expect(ops.slice(0, 3)).toEqual(['cgroup_init', 'cgroup_init', 'cgroup_init']);
    expect(ops.filter((o) => o === 'cgroup_move').length).toBeGreaterThan(10);
  });

  it('a BPF fault ejects the scheduler and names the program and source line', () => {
    const s = sim(simFixture('null_deref'), 'null_deref.bpf.o', 'cpu-hogs');
    s.runFor(100 * MS);
    const sum = s.summary();
    expect(sum.exit.kind).toBe('SCX_EXIT_ERROR');
    expect(sum.exit.message).toMatch(/^BPF fault \(null\)/);
    expect(sum.exit.program).toBe('nd_enqueue');
    expect(sum.exit.line).toBeGreaterThan(0);
    expect(sum.diagnostics.map((d) => d.kind)).toContain('fault');
    // the fallback policy keeps running every task after the ejection
    for (const t of sum.tasks) expect(t.runtimeNs).toBeGreaterThan(0);
  });

  it('the JIT and the interpreter produce the same run', () => {
    const run = (engine: 'jit' | 'interp') => {
      const s = sim(exampleScheduler('rbtree'), 'rbtree.bpf.o', 'interactive', { engine });
      const events: string[] = [];
      s.on((e) => events.push(JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))));
      s.runFor(30 * MS);
      return events;
    };
    const jit = run('jit');
    expect(jit.length).toBeGreaterThan(300);
    expect(run('interp')).toEqual(jit);
  });
});

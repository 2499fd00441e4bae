// Runqueues and idle tasks (test/bpf/sim/rq_curr.bpf.c): scx_bpf_cpu_rq's
// curr/cpu/clocks, scx_bpf_cpu_curr (v6.18) and scx_bpf_locked_rq, remote CPUs'
// curr including their idle tasks, and bpf_get_current_task_btf() on a CPU
// that was idle being that CPU's idle task (pid 0), as in the kernel; the
// typed per-CPU kernel symbols runqueues and __preempt_count through
// bpf_per_cpu_ptr / bpf_this_cpu_ptr.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { simFixture } from './testing/fixtures';
import type { SimEvent } from '../model/events';

const MS = 1_000_000;

function run(kernelVersion: string) {
  const s = new Simulation({ objectBytes: simFixture('rq_curr'), file: 'rq_curr.bpf.o', workload: 'interactive', cpus: 4, seed: 2, kernelVersion });
  const printks: string[] = [];
  s.on((e: SimEvent) => { if (e.kind === 'printk') printks.push(e.text); });
  s.runFor(300 * MS);
  const sum = s.summary();
  s.unload();
  const c: Record<string, number> = {};
  for (const p of printks) if (p.startsWith('rq_curr ')) for (const m of p.matchAll(/(\w+) (\d+)/g)) c[m[1]!] = Number(m[2]);
  return { sum, c, s };
}

describe('runqueues and idle tasks', () => {
  it('v6.19: rq->curr and scx_bpf_cpu_curr are the ticking task; idle CPUs show their idle task; locked_rq is this CPU\'s', () => {
    const { sum, c } = run('6.19');
    expect(sum.exit).toMatchObject({ kind: 'none', ejected: false });
    expect(c.ticks).toBeGreaterThan(20);
    expect(c.rq_curr_ok).toBe(c.ticks);
    expect(c.has_cpu_curr).toBe(1);
    expect(c.cpu_curr_ok).toBe(c.ticks);
    expect(c.clock_ok).toBe(c.ticks);
    // the typed per-CPU ksyms: bpf_per_cpu_ptr(&runqueues, cpu) is scx_bpf_cpu_rq(cpu); past nr_cpu_ids it is NULL
    expect(c.percpu_rq_ok).toBe(c.ticks);
    expect(c.preempt_zero).toBe(c.ticks);
    expect(c.percpu_oob_null).toBe(c.ticks);
    // an interactive workload on 4 CPUs leaves CPUs idle while others tick, and keeps some busy
    expect(c.remote_idle).toBeGreaterThan(0);
    expect(c.remote_busy).toBeGreaterThan(0);
    expect(c.remote_idle + c.remote_busy).toBeLessThanOrEqual(3 * c.ticks);
    expect(c.bad_idle_name).toBe(0);
    // ops.dispatch on a CPU coming out of idle: current is the idle task, not NULL
    expect(c.idle_dispatch).toBeGreaterThan(0);
    expect(c.idle_current_ok).toBe(c.idle_dispatch);
    expect(c.locked_rq_ok).toBe(c.idle_dispatch);
  });

  it('v6.13: no scx_bpf_cpu_curr or scx_bpf_locked_rq (weak, absent); scx_bpf_cpu_rq serves both paths', () => {
    const { sum, c, s } = run('6.13');
    expect(sum.exit).toMatchObject({ kind: 'none', ejected: false });
    expect(s.object.kfuncs.find((k) => k.name === 'scx_bpf_cpu_curr')?.resolved).toBe(false);
    expect(c.has_cpu_curr).toBe(0);
    expect(c.cpu_curr_ok).toBe(0);
    expect(c.ticks).toBeGreaterThan(20);
    expect(c.rq_curr_ok).toBe(c.ticks);
    expect(c.idle_dispatch).toBeGreaterThan(0);
    expect(c.idle_current_ok).toBe(c.idle_dispatch);
    expect(c.locked_rq_ok).toBe(c.idle_dispatch);
  });
});

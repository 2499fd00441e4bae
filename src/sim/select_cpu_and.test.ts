// v6.10-v6.19 kfuncs on the wakeup path (test/bpf/sim/select_and.bpf.c):
// bpf_cpumask_populate, scx_bpf_select_cpu_and and its v6.19 packed form,
// __scx_bpf_dsq_insert_vtime, bpf_preempt_disable/enable, per kernel release.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { simFixture } from './testing/fixtures';
import type { SimEvent } from '../model/events';

const MS = 1_000_000;

function run(kernelVersion: string) {
  const s = new Simulation({ objectBytes: simFixture('select_and'), file: 'select_and.bpf.o', workload: 'interactive', cpus: 4, seed: 5, kernelVersion });
  const printks: string[] = [];
  s.on((e: SimEvent) => { if (e.kind === 'printk') printks.push(e.text); });
  s.runFor(300 * MS);
  const sum = s.summary();
  s.unload();
  const c: Record<string, number> = {};
  for (const p of printks) if (p.startsWith('select_and ')) for (const m of p.matchAll(/(\w+) (\d+)/g)) c[m[1]!] = Number(m[2]);
  return { sum, c, s };
}

describe('scx_bpf_select_cpu_and and friends', () => {
  it('v6.19: the packed __scx_bpf_select_cpu_and only ever claims CPUs of the populated mask; the rest go through __scx_bpf_dsq_insert_vtime', () => {
    const { sum, c } = run('6.19');
    expect(sum.exit).toMatchObject({ kind: 'none', ejected: false });
    expect(c.populate_small).toBe(1);
    expect(c.even).toBeGreaterThan(10);
    expect(c.odd).toBe(0);
    expect(c.packed).toBe(c.even + c.busy);
    expect(c.fallback).toBe(0);
    expect(c.busy).toBeGreaterThan(0);
    expect(c.vtime_inserts).toBeGreaterThan(0);
    expect(sum.diagnostics.filter((d) => d.kind === 'refused')).toEqual([]);
    // odd CPUs still ran work: the vtime DSQ feeds every CPU
    expect(sum.cpus[1]!.busyNs + sum.cpus[3]!.busyNs).toBeGreaterThan(0);
  });

  it('v6.13: neither select_cpu_and form nor bpf_cpumask_populate exists (weak); the guarded fallbacks run, still only on even CPUs', () => {
    const { sum, c, s } = run('6.13');
    for (const k of ['scx_bpf_select_cpu_and', '__scx_bpf_select_cpu_and', 'bpf_cpumask_populate']) {
      expect(s.object.kfuncs.find((x) => x.name === k)?.resolved).toBe(false);
    }
    expect(sum.exit).toMatchObject({ kind: 'none', ejected: false });
    expect(c.packed).toBe(0);
    expect(c.populate_small).toBe(0);
    expect(c.fallback).toBe(c.even + c.busy);
    expect(c.even).toBeGreaterThan(10);
    expect(c.odd).toBe(0);
  });
});

// BPF timer callbacks run outside ops, yet a fault or scx_bpf_error() in one
// is the scheduler's error exit like any other (scx_error → ops.exit), with
// the callback's name and source line in the exit info.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { simFixture } from './testing/fixtures';
import type { SimEvent } from '../model/events';

const MS = 1_000_000;

function timerFault(useError: boolean) {
  const s = new Simulation({
    objectBytes: simFixture('timer_fault'), file: 'timer_fault.bpf.o', workload: 'cpu-hogs', cpus: 2, seed: 1,
    sets: { use_error: useError ? 1n : 0n },
  });
  const printks: string[] = [];
  s.on((e: SimEvent) => { if (e.kind === 'printk') printks.push(e.text); });
  s.runFor(20 * MS);
  return { s, sum: s.summary(), printks };
}

describe('faults in BPF timer callbacks', () => {
  it('a BPF fault in a timer callback is an error exit (SCX_EXIT_ERROR) naming the callback and line; ops.exit runs and the run goes on', () => {
    const { s, sum, printks } = timerFault(false);
    expect(sum.exit).toMatchObject({ kind: 'SCX_EXIT_ERROR', reason: 'runtime error', ejected: true, program: 'tf_timerfn' });
    expect(sum.exit.message).toMatch(/^BPF fault \(null\)/);
    expect(sum.exit.line).toBeGreaterThan(0);
    expect(sum.diagnostics).toContainEqual(expect.objectContaining({ kind: 'fault', program: 'tf_timerfn', line: sum.exit.line }));
    expect(printks).toContain('timer_fault exit kind 1024 after 3 firings');
    expect(s.now).toBe(20 * MS);
    for (const t of sum.tasks) expect(t.runtimeNs).toBeGreaterThan(0);
  });

  it('scx_bpf_error in a timer callback is SCX_EXIT_ERROR_BPF with the callback\'s source line', () => {
    const { sum, printks } = timerFault(true);
    expect(sum.exit).toMatchObject({ kind: 'SCX_EXIT_ERROR_BPF', reason: 'scx_bpf_error', ejected: true, program: 'tf_timerfn', message: 'timer gave up after 3 firings' });
    expect(sum.exit.line).toBeGreaterThan(0);
    expect(printks).toContain('timer_fault exit kind 1025 after 3 firings');
  });
});

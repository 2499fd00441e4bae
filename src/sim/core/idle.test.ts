// Built-in idle selection (ext_idle.c scx_select_cpu_dfl): whole idle SMT
// cores first, then prev_cpu, then prev's LLC, then anywhere allowed.

import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../sched_ext/vm/memory';
import { IdleTracker, EBUSY } from './idle';
import { testMaskBit } from '../kernel/kernel_memory';

function tracker(cpus: number, smt: number, llc: number) {
  const space = new AddressSpace();
  const t = new IdleTracker(cpus, { cpus, smt, llc }, space.alloc('kernel', 'idle', 32), space.alloc('kernel', 'smt', 32));
  for (let c = 0; c < cpus; c++) t.set(c, true);
  return t;
}
const all = (n: number) => new Uint8Array(n).fill(1);

describe('built-in idle CPU selection', () => {
  it('prefers a fully idle SMT core over an idle sibling of a busy CPU, even over prev_cpu', () => {
    const t = tracker(8, 2, 8);
    t.set(1, false); // core 0 = {0,1} is half busy
    const r = t.selectDfl(all(8), 0);
    expect(r.idle).toBe(true);
    expect(t.siblings(r.cpu).every((c) => c !== 0 && c !== 1)).toBe(true);
    // the claimed CPU is no longer idle, and its core left the SMT mask
    expect(t.isIdle(r.cpu)).toBe(false);
    expect(testMaskBit(t.smtMask.bytes, 0, r.cpu)).toBe(false);
  });

  it('takes prev_cpu when it is idle and no whole core is', () => {
    const t = tracker(4, 2, 4);
    t.set(1, false);
    t.set(3, false);
    expect(t.selectDfl(all(4), 2)).toEqual({ cpu: 2, idle: true });
  });

  it('stays in prev_cpu\'s LLC before looking elsewhere', () => {
    const t = tracker(8, 1, 4);
    t.set(4, false); // prev busy; LLC 1 = CPUs 4-7
    const r = t.selectDfl(all(8), 4);
    expect(r.idle).toBe(true);
    expect(r.cpu).toBeGreaterThanOrEqual(5);
  });

  it('returns prev_cpu, not idle, when nothing allowed is idle; pick() says EBUSY', () => {
    const t = tracker(4, 1, 4);
    const allowed = Uint8Array.of(0, 1, 1, 0);
    t.set(1, false);
    t.set(2, false);
    expect(t.selectDfl(allowed, 1)).toEqual({ cpu: 1, idle: false });
    expect(t.pick(allowed, false)).toBe(EBUSY);
  });
});

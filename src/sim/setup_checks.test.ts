import { describe, expect, it } from 'vitest';
import { checkKernelVersion, checkMachineSpec } from './setup_checks';

describe('machine topology checks', () => {
  it('refuses SMT cores that do not divide the CPUs, listing the valid choices', () => {
    expect(() => checkMachineSpec({ cpus: 4, smt: 3 })).toThrow('smt (CPUs per SMT core) 3 does not divide the 4 CPUs evenly; with 4 CPUs choose one of 1, 2, 4');
    expect(() => checkMachineSpec({ cpus: 4, smt: 9 })).toThrow(/smt .* must be an integer from 1 to 8/);
  });

  it('refuses an LLC that splits an SMT core and a NUMA node that splits an LLC', () => {
    expect(() => checkMachineSpec({ cpus: 8, smt: 2, llc: 1 })).toThrow('llc (CPUs per last-level cache) 1 does not hold whole SMT cores of 2 CPUs; with 8 CPUs choose one of 2, 4, 8');
    expect(() => checkMachineSpec({ cpus: 8, llc: 4, numa: 2 })).toThrow(/numa .* 2 does not hold whole LLCs of 4 CPUs; with 8 CPUs choose one of 4, 8/);
  });

  it('accepts whole topologies and refuses CPU counts outside 1..256', () => {
    expect(() => checkMachineSpec({ cpus: 16, smt: 2, llc: 8, numa: 16 })).not.toThrow();
    expect(() => checkMachineSpec({ cpus: 257 })).toThrow('cpus must be an integer from 1 to 256 (got 257)');
  });
});

describe('kernel version checks', () => {
  it('refuses a version that is not a release, or one before sched_ext', () => {
    expect(() => checkKernelVersion('banana')).toThrow('kernel version "banana" is not a release number; give one such as 6.12, 6.13 or 6.19.0 (6.12.0 or later)');
    expect(() => checkKernelVersion('6.6')).toThrow(/has no sched_ext \(it first shipped in 6.12\)/);
  });

  it('accepts sched_ext releases', () => {
    for (const v of ['6.12', '6.13.0', '6.19.0', '7.0']) expect(() => checkKernelVersion(v)).not.toThrow();
  });
});

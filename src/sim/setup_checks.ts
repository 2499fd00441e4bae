// Checks on how a run is set up that no schema can express: the machine's
// topology must split its CPUs into whole SMT cores, LLCs and NUMA nodes,
// and the emulated kernel release must be one sched_ext exists in. Each
// failure is one SimSetupError naming the value and the valid choices.

import { MAX_CPUS } from '../base/limits';
import type { MachineSpec } from '../model/events';
import { SimSetupError } from './bpf_ops';
import { compareKernelVersions } from './kernel/kernel_env';

/** sched_ext was merged in v6.12; the simulated kernel BTFs are those of 6.12, 6.13 and 6.19. */
export const OLDEST_KERNEL_VERSION = '6.12.0';
const KERNEL_VERSION_RE = /^\d{1,3}\.\d{1,3}(\.\d{1,4})?$/;

function divisors(n: number, max: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= Math.min(n, max); d++) if (n % d === 0) out.push(d);
  return out;
}

export function checkMachineSpec(m: MachineSpec): void {
  if (!Number.isInteger(m.cpus) || m.cpus < 1 || m.cpus > MAX_CPUS) {
    throw new SimSetupError(`cpus must be an integer from 1 to ${MAX_CPUS} (got ${m.cpus})`);
  }
  const levels: { key: 'smt' | 'llc' | 'numa'; what: string; inside: number; insideName: string }[] = [
    { key: 'smt', what: 'CPUs per SMT core', inside: 1, insideName: '' },
    { key: 'llc', what: 'CPUs per last-level cache', inside: m.smt ?? 1, insideName: 'SMT core' },
    { key: 'numa', what: 'CPUs per NUMA node', inside: m.llc ?? m.smt ?? 1, insideName: m.llc !== undefined ? 'LLC' : 'SMT core' },
  ];
  for (const { key, what, inside, insideName } of levels) {
    const v = m[key];
    if (v === undefined) continue;
    const max = key === 'smt' ? 8 : MAX_CPUS;
    const valid = divisors(m.cpus, max).filter((d) => d % inside === 0);
    if (!Number.isInteger(v) || !valid.includes(v)) {
      const why = !Number.isInteger(v) || v < 1 || v > max
        ? `must be an integer from 1 to ${max}`
        : m.cpus % v !== 0
          ? `does not divide the ${m.cpus} CPUs evenly`
          : `does not hold whole ${insideName}s of ${inside} CPUs`;
      throw new SimSetupError(`${key} (${what}) ${v} ${why}; with ${m.cpus} CPUs choose one of ${valid.join(', ')}`);
    }
  }
}

/** A release such as "6.13" or "6.19.0", at least 6.12. */
export function checkKernelVersion(version: string): void {
  if (!KERNEL_VERSION_RE.test(version)) {
    throw new SimSetupError(`kernel version "${version.slice(0, 40)}" is not a release number; give one such as 6.12, 6.13 or 6.19.0 (${OLDEST_KERNEL_VERSION} or later)`);
  }
  if (compareKernelVersions(version, OLDEST_KERNEL_VERSION) < 0) {
    throw new SimSetupError(`kernel version ${version} has no sched_ext (it first shipped in 6.12); give ${OLDEST_KERNEL_VERSION} or later, e.g. 6.12, 6.13 or 6.19.0`);
  }
}

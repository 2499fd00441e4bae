// The timeline's rows: one per CPU, and — on machines with more than 16 CPUs
// or a cache/NUMA topology — a header row per group of CPUs (NUMA node, else
// LLC, else blocks of 8) that can collapse the group into itself. A header
// row draws how many of its CPUs are busy at each instant, so a collapsed
// group still shows its load without pretending to be one CPU.
import type { MachineSpec } from '../../model/events';

export interface LaneGroup {
  label: string;
  /** CPUs [first, last). */
  first: number;
  last: number;
}

export type LaneRow = { kind: 'group'; group: number } | { kind: 'cpu'; cpu: number };

/** Groups for a machine: NUMA nodes, else LLCs, else blocks of 8 above 16 CPUs; none for small flat machines. */
export function laneGroups(cpus: number, machine?: Partial<MachineSpec>): LaneGroup[] {
  const by = (size: number, name: string | null): LaneGroup[] => {
    const out: LaneGroup[] = [];
    for (let first = 0, i = 0; first < cpus; first += size, i++) {
      const last = Math.min(cpus, first + size);
      out.push({ label: name ? `${name} ${i}` : `CPUs ${first}–${last - 1}`, first, last });
    }
    return out;
  };
  if (machine?.numa && machine.numa > 1 && machine.numa < cpus) return by(machine.numa, 'node');
  if (machine?.llc && machine.llc > 1 && machine.llc < cpus) return by(machine.llc, 'LLC');
  if (cpus > 16) return by(8, null);
  return [];
}

export function laneRows(cpus: number, groups: readonly LaneGroup[], collapsed: ReadonlySet<number>): LaneRow[] {
  if (groups.length === 0) return Array.from({ length: cpus }, (_, cpu) => ({ kind: 'cpu', cpu }));
  const rows: LaneRow[] = [];
  groups.forEach((g, group) => {
    rows.push({ kind: 'group', group });
    if (!collapsed.has(group)) for (let cpu = g.first; cpu < g.last; cpu++) rows.push({ kind: 'cpu', cpu });
  });
  return rows;
}

/** Row index of a CPU, or -1 when its group is collapsed. */
export function rowOfCpu(rows: readonly LaneRow[], cpu: number): number {
  return rows.findIndex((r) => r.kind === 'cpu' && r.cpu === cpu);
}

/** "CPUs 8–15" style range text for a group. */
export function groupRange(g: LaneGroup): string {
  return g.last - g.first === 1 ? `CPU ${g.first}` : `CPUs ${g.first}–${g.last - 1}`;
}

// Random workloads for `scxray fuzz`, drawn from a seeded stream so case N
// of seed S is always the same workload: task groups with run/sleep
// patterns (CPU hogs, bursty sleepers, periodic tasks, pipe pairs and wakeup
// chains, forkers with short-lived children, yielders, renicers, cgroup
// movers and weight writers), affinity, nice, cgroups with weights, and CPU
// hotplug. Output is the JSON workload format (docs/workloads.md).

import { Rng } from '../../../sim/workload/rng';

/** The workload JSON as written to disk; validated by the simulator's schema when run. */
export interface FuzzWorkload {
  name: string;
  description?: string;
  cgroups?: { path: string; weight: number }[];
  hotplug?: { at: string; cpu: number; online: boolean }[];
  groups: FuzzGroup[];
}

export interface FuzzGroup {
  name: string;
  count?: number;
  nice?: number;
  cpus?: string;
  cgroup?: string;
  start?: string;
  stagger?: string;
  template?: boolean;
  repeat?: number;
  startBlocked?: boolean;
  steps: Record<string, unknown>[];
}

class Pick {
  constructor(readonly rng: Rng) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rng.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.rng.next() < p;
  }
  one<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rng.next() * xs.length)]!;
  }
  us(lo: number, hi: number): string {
    return `${this.int(lo, hi)}us`;
  }
}

const PATTERNS = ['hog', 'bursty', 'periodic', 'pipe', 'chain', 'forker', 'yielder', 'renicer', 'mover'] as const;

/** The workload of case `index` under `seed` for a machine of `cpus` CPUs. */
export function generateWorkload(seed: number, index: number, cpus: number): FuzzWorkload {
  const p = new Pick(new Rng(seed, 0x7a11 + index));
  const w: FuzzWorkload = { name: `fuzz-${seed}-${index}`, description: `scxray fuzz seed ${seed} case ${index}`, groups: [] };
  const cgroups = p.chance(0.4) ? Array.from({ length: p.int(1, 3) }, (_, i) => ({ path: `/cg${i}`, weight: p.one([1, 50, 100, 100, 300, 1000, 10000]) })) : [];
  if (cgroups.length) w.cgroups = cgroups;
  const nGroups = p.int(1, 4);
  const name = (k: string) => `${k}${w.groups.length}`;
  const common = (g: FuzzGroup): FuzzGroup => {
    if (p.chance(0.3)) g.nice = p.one([-20, -5, 0, 5, 19]);
    if (cpus > 1 && p.chance(0.25)) {
      const a = p.int(0, cpus - 1);
      const b = p.int(a, cpus - 1);
      g.cpus = a === b ? `${a}` : `${a}-${b}`;
    }
    if (cgroups.length && p.chance(0.6)) g.cgroup = p.one(cgroups).path;
    if (p.chance(0.2)) g.start = p.us(0, 50_000);
    if ((g.count ?? 1) > 1 && p.chance(0.3)) g.stagger = p.us(0, 2_000);
    return g;
  };
  for (let i = 0; i < nGroups; i++) {
    const kind = p.one(PATTERNS);
    const count = p.int(1, 6);
    switch (kind) {
      case 'hog':
        w.groups.push(common({ name: name('hog'), count, steps: [{ run: `${p.int(1, 1000)}ms` }] }));
        break;
      case 'bursty':
        w.groups.push(common({ name: name('bursty'), count, steps: [{ run: { dist: 'exp', mean: p.us(20, 2_000) } }, { sleep: { dist: 'exp', mean: p.us(50, 10_000) } }] }));
        break;
      case 'periodic':
        w.groups.push(common({ name: name('periodic'), count, steps: [{ run: p.us(10, 1_000) }, { period: `${p.int(1, 20)}ms` }] }));
        break;
      case 'pipe': {
        const a = name('ping');
        const b = `pong${w.groups.length}`;
        const burst = p.us(5, 500);
        w.groups.push(common({ name: a, count, steps: [{ run: burst }, { wake: b }, { wait: true }] }));
        w.groups.push({ name: b, count, startBlocked: true, steps: [{ wait: true }, { run: burst }, { wake: a }] });
        break;
      }
      case 'chain': {
        // a ring of tasks each waking the next: a wakeup chain through the whole group
        const g = name('chain');
        w.groups.push(common({ name: g, count: Math.max(2, count), steps: [{ run: p.us(5, 300) }, { wake: g, which: 'next' }, { wait: true }] }));
        break;
      }
      case 'forker': {
        const child = `child${w.groups.length}`;
        w.groups.push(common({ name: name('forker'), count: p.int(1, 2), steps: [{ fork: child, count: p.int(1, 4) }, { sleep: p.us(200, 5_000) }] }));
        w.groups.push({ name: child, count: 0, template: true, repeat: p.int(1, 3), steps: [{ run: p.us(10, 1_000) }, { sleep: p.us(10, 1_000) }] });
        break;
      }
      case 'yielder':
        w.groups.push(common({ name: name('yielder'), count, steps: [{ run: p.us(10, 500) }, { yield: true }] }));
        break;
      case 'renicer': {
        const target = name('niced');
        w.groups.push(common({ name: target, count, steps: [{ run: `${p.int(1, 50)}ms` }, { sleep: p.us(10, 2_000) }] }));
        w.groups.push({ name: `renicer${w.groups.length}`, steps: [{ sleep: `${p.int(5, 100)}ms` }, { renice: { group: target, nice: p.one([-10, 0, 10, 19]) } }] });
        break;
      }
      case 'mover': {
        if (cgroups.length === 0) {
          cgroups.push({ path: '/cg0', weight: 100 }, { path: '/cg1', weight: 300 });
          w.cgroups = cgroups;
        }
        const to = p.one(cgroups).path;
        const steps: Record<string, unknown>[] = [{ run: p.us(100, 5_000) }, { cgroup: to }, { sleep: p.us(100, 5_000) }, { cgroup: '/' }];
        if (p.chance(0.5)) steps.push({ cgroupWeight: { path: to, weight: p.one([1, 100, 500, 10000]) } });
        w.groups.push(common({ name: name('mover'), count, steps }));
        break;
      }
    }
  }
  if (cpus > 1 && p.chance(0.2)) {
    const cpu = p.int(1, cpus - 1);
    const at = p.int(10, 500);
    w.hotplug = [{ at: `${at}ms`, cpu, online: false }, { at: `${at + p.int(10, 500)}ms`, cpu, online: true }];
  }
  return w;
}

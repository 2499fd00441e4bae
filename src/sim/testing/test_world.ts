// Build a World around a TypeScript scheduler for rule tests.

import { AddressSpace } from '../../sched_ext/vm/memory';
import { createKernelEnv } from '../kernel/kernel_env';
import { World } from '../world';
import { WorkloadSpec, type Workload } from '../workload/schema';
import { TsSched, type TsSchedSpec } from './ts_sched';
import type { SimEvent, MachineSpec } from '../../model/events';

export interface TestWorld {
  world: World;
  sched: TsSched;
  events: SimEvent[];
}

export function testWorld(spec: TsSchedSpec, workload: unknown, machine: number | MachineSpec = 2, seed = 1, record = true): TestWorld {
  const sched = new TsSched(spec);
  const w: Workload = WorkloadSpec.parse(workload);
  const world = new World({
    ops: sched,
    space: new AddressSpace(),
    kernel: createKernelEnv(),
    workload: w,
    machine: typeof machine === 'number' ? { cpus: machine } : machine,
    seed,
  });
  sched.core = world.core;
  const events: SimEvent[] = [];
  if (record) world.machine.listeners.push((ev) => events.push(ev));
  world.start();
  return { world, sched, events };
}

/** n CPU hogs that never sleep. */
export function hogs(n: number, extra: Record<string, unknown> = {}): unknown {
  return { name: 'hogs', groups: [{ name: 'hog', count: n, steps: [{ run: '100ms' }], ...extra }] };
}

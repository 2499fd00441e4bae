// Small helpers around SimSnapshot shared by the recorder and reader.

import type { MachineSpec, SimSnapshot } from '../../model/events';

/** The state of a machine before anything ran: every CPU idle, nothing queued. */
export function emptySnapshot(machine: MachineSpec, t = 0): SimSnapshot {
  const cpus = [];
  for (let cpu = 0; cpu < machine.cpus; cpu++) cpus.push({ cpu, curr: 0, idle: true, local: [] });
  return { t, cpus, dsqs: [], tasks: [], heap: [], roots: [], slots: [] };
}

export function currPids(s: SimSnapshot): Int32Array {
  const out = new Int32Array(s.cpus.length);
  s.cpus.forEach((c, i) => (out[i] = c.curr));
  return out;
}

// The full state at an instant, built only from the real state (the trace
// reducer replays events into the same shape, so this stays a pure read).

import type { DsqSnapshot, SimSnapshot, TaskSnapshot } from '../model/events';
import type { ScxCore } from './core/scx_core';
import type { DispatchQueue } from './core/dsq';
import { SLICE_INF } from './kernel/consts';

export interface HeapSource {
  heapObjects(): SimSnapshot['heap'];
  roots(): SimSnapshot['roots'];
  slots(): SimSnapshot['slots'];
  /** The scheduler's global variables now (the BPF runtime has them). */
  globalValues?(): NonNullable<SimSnapshot['globals']>;
  mapContents?(): NonNullable<SimSnapshot['maps']>;
}

function dsqSnap(d: DispatchQueue): DsqSnapshot {
  return {
    id: d.idText,
    label: d.label,
    ordering: d.ordering,
    tasks: d.tasks.map((p, i) => {
      const v = d.vtimeAt(i);
      return v === undefined ? { pid: p.pid } : { pid: p.pid, vtime: Number(v) };
    }),
  };
}

export function takeSnapshot(core: ScxCore, heap?: HeapSource): SimSnapshot {
  const tasks = [...core.tasks.values()].sort((a, b) => a.pid - b.pid);
  const snap: SimSnapshot = {
    t: core.now(),
    cpus: core.cpus.map((c) => ({ cpu: c.id, curr: c.curr?.pid ?? 0, idle: c.curr === null, local: c.local.tasks.map((p) => p.pid) })),
    dsqs: [core.globalDsq, ...[...core.userDsqs.values()].sort((a, b) => (a.id < b.id ? -1 : 1))].map(dsqSnap),
    tasks: tasks.map((p) => {
      const slice = p.slice;
      const t: TaskSnapshot = {
        pid: p.pid, comm: p.comm, state: p.state, cpu: p.cpu, weight: p.weight,
        dsq: p.dsq ? p.dsq.idText : undefined,
        runtimeNs: p.runtimeNs, waitNs: p.waitNs, runs: p.runs,
        vtime: Number(p.dsqVtime), slice: slice === SLICE_INF ? -1 : Number(slice),
      };
      // waitNs holds finished waits; a replay from this keyframe finishes the current one from here
      if (p.state === 'runnable' && p.readySince >= 0) t.readySince = p.readySince;
      return t;
    }),
    heap: heap?.heapObjects() ?? [],
    roots: heap?.roots() ?? [],
    slots: heap?.slots() ?? [],
    exited: core.exitInfo,
  };
  const globals = heap?.globalValues?.();
  if (globals) snap.globals = globals;
  const maps = heap?.mapContents?.();
  if (maps) snap.maps = maps;
  return snap;
}

// Hand-made cases for the replay rules the generated runs rarely reach:
// shared (refcounted) objects, DSQ ordering details, keyframe-relative counters.

import { describe, expect, it } from 'vitest';
import type { SimEvent, SimSnapshot } from '../events';
import { ReplayState } from './reduce';
import { emptySnapshot } from './snapshot-util';

const site = { program: 'enqueue', insn: 3 };
const TREE = { kind: 'rb_root', root: 'map q[0].root' } as const;
const SLOT = { kind: 'kptr', slot: 'map ctx[pid 7].stash' } as const;
const PROG = { kind: 'program', program: 'enqueue', cpu: 1 } as const;

function run(events: SimEvent[], start: SimSnapshot = emptySnapshot({ cpus: 2 })): SimSnapshot {
  const s = new ReplayState(start);
  for (const e of events) s.apply(e);
  return s.snapshot();
}

describe('ReplayState', () => {
  it('follows a shared object through acquire, move and release like the runtime holder list', () => {
    const s = run([
      { t: 1, kind: 'obj_new', obj: 5, type: 'struct node', size: 32, site },
      { t: 1, kind: 'obj_owner', obj: 5, from: { kind: 'freed' }, to: PROG, site },
      { t: 2, kind: 'obj_owner', obj: 5, from: { kind: 'refcount', count: 1 }, to: { kind: 'program', program: 'enqueue', cpu: 1 } },
      { t: 3, kind: 'obj_owner', obj: 5, from: PROG, to: TREE, at: 0 },
      { t: 4, kind: 'obj_owner', obj: 5, from: PROG, to: SLOT },
    ]);
    expect(s.heap).toEqual([{ id: 5, type: 'struct node', size: 32, owner: { kind: 'refcount', count: 2 }, refcount: 2, fields: {}, site }]);
    expect(s.roots).toEqual([{ key: TREE.root, kind: 'rb_root', nodes: [5] }]);
    expect(s.slots).toEqual([{ key: SLOT.slot, map: 'ctx', field: 'stash', obj: 5 }]);
    // Continue from that snapshot as a keyframe: the holders are rebuilt from roots and slots.
    const after = run(
      [
        { t: 5, kind: 'obj_owner', obj: 5, from: TREE, to: { kind: 'refcount', count: 1 } },
        { t: 6, kind: 'obj_owner', obj: 5, from: SLOT, to: PROG },
      ],
      s,
    );
    expect(after.heap[0]!.owner).toEqual(PROG);
    expect(after.heap[0]!.refcount).toBe(1);
    expect(after.roots[0]!.nodes).toEqual([]);
    expect(after.slots[0]!.obj).toBeNull();
    expect(run([{ t: 7, kind: 'obj_free', obj: 5 }], after).heap).toEqual([]);
  });

  it('orders vtime DSQs after equal keys, FIFO head inserts first, and empties to "empty"', () => {
    const ins = (t: number, pid: number, dsq: string, extra: { vtime?: number; head?: boolean } = {}): SimEvent => ({ t, kind: 'dsq_insert', cpu: 0, dsq, pid, slice: 1, head: extra.head ?? false, ...(extra.vtime !== undefined ? { vtime: extra.vtime } : {}) });
    const s = run([
      { t: 0, kind: 'dsq_create', dsq: '0x10', name: '16', vtime: true },
      ins(1, 1, '0x10', { vtime: 50 }),
      ins(2, 2, '0x10', { vtime: 10 }),
      ins(3, 3, '0x10', { vtime: 50 }),
      ins(4, 4, '0x8000000000000001'),
      ins(5, 5, '0x8000000000000001', { head: true }),
      ins(6, 6, '0x8000000000000002'), // SCX_DSQ_LOCAL: the event's cpu
      ins(7, 7, '0xc000000000000001', { head: true }),
    ]);
    expect(s.dsqs).toEqual([
      { id: '0x10', label: '16', ordering: 'vtime', tasks: [{ pid: 2, vtime: 10 }, { pid: 1, vtime: 50 }, { pid: 3, vtime: 50 }] },
      { id: '0x8000000000000001', label: 'GLOBAL', ordering: 'fifo', tasks: [{ pid: 5 }, { pid: 4 }] },
    ]);
    expect(s.cpus.map((c) => c.local)).toEqual([[6], [7]]);
    const e = run([{ t: 9, kind: 'dsq_remove', cpu: 0, dsq: '0x8000000000000001', pid: 5, reason: 'consume' }, { t: 9, kind: 'dsq_remove', cpu: 0, dsq: '0x8000000000000001', pid: 4, reason: 'consume' }], s);
    expect(e.dsqs[1]).toEqual({ id: '0x8000000000000001', label: 'GLOBAL', ordering: 'empty', tasks: [] });
  });

  it('charges waits when a task runs, from the keyframe readySince', () => {
    const kf = emptySnapshot({ cpus: 1 }, 100);
    kf.tasks.push({ pid: 9, comm: 'w', state: 'runnable', cpu: 0, weight: 100, runtimeNs: 0, waitNs: 7, runs: 0, vtime: 0, slice: 0, readySince: 40 });
    const s = run([{ t: 150, kind: 'task_state', pid: 9, state: 'running', cpu: 0 }], kf);
    expect(s.tasks[0]).toMatchObject({ state: 'running', waitNs: 7 + 110, runs: 1 });
    expect(s.tasks[0]!.readySince).toBeUndefined();
    const later = new ReplayState(s);
    later.apply({ t: 180, kind: 'task_state', pid: 9, state: 'runnable', cpu: 0 });
    expect(later.snapshot(200).tasks[0]).toMatchObject({ runtimeNs: 30, readySince: 180 });
  });
});

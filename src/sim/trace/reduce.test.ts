// Hand-made cases for the replay rules the generated runs rarely reach:
// shared (refcounted) objects, DSQ ordering details, keyframe-relative counters.

import { describe, expect, it } from 'vitest';
import type { SimEvent, SimSnapshot } from '../../model/events';
import { ReplayState } from './reduce';
import { emptySnapshot } from './snapshot_util';

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
    expect(s.heap).toEqual([{ id: 5, type: 'struct node', size: 32, owner: { kind: 'refcount', count: 2 }, refcount: 2, fields: {}, fieldsAt: 1, site }]);
    expect(s.roots).toEqual([{ key: TREE.root, kind: 'rb_root', nodes: [5], parents: [0], red: [false] }]);
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

  it('detaches a node held by a tree and a list at once from the root the event names', () => {
    const LIST = { kind: 'list_head', root: 'map q[0].head' } as const;
    const obj = (t: number, id: number): SimEvent[] => [
      { t, kind: 'obj_new', obj: id, type: 'struct node', size: 48, site },
      { t, kind: 'obj_owner', obj: id, from: { kind: 'freed' }, to: PROG, site },
    ];
    const s = run([
      ...obj(1, 1),
      ...obj(1, 2),
      ...obj(1, 3),
      { t: 2, kind: 'obj_owner', obj: 1, from: PROG, to: TREE, at: 0 },
      { t: 2, kind: 'obj_owner', obj: 2, from: PROG, to: TREE, at: 1 },
      // obj 3: bpf_refcount_acquire, then one reference into the tree, one into the list
      { t: 3, kind: 'obj_owner', obj: 3, from: { kind: 'refcount', count: 1 }, to: PROG },
      { t: 3, kind: 'obj_owner', obj: 3, from: PROG, to: TREE, at: 0 },
      { t: 3, kind: 'obj_owner', obj: 3, from: PROG, to: LIST },
    ]);
    // 1 then 2 (right child of 1), then 3 left of 1: the tree is 1 over 3 and 2, all black below a black root
    expect(s.roots).toEqual([
      { key: TREE.root, kind: 'rb_root', nodes: [3, 1, 2], parents: [1, 0, 1], red: [true, false, true] },
      { key: LIST.root, kind: 'list_head', nodes: [3] },
    ]);
    expect(s.heap.find((h) => h.id === 3)!.owner).toEqual({ kind: 'refcount', count: 2 });
    // bpf_list_pop_front: the list's reference moves to the program; the tree keeps its node
    const popped = run([{ t: 4, kind: 'obj_owner', obj: 3, from: LIST, to: PROG }], s);
    expect(popped.roots).toEqual([
      { key: TREE.root, kind: 'rb_root', nodes: [3, 1, 2], parents: [1, 0, 1], red: [true, false, true] },
      { key: LIST.root, kind: 'list_head', nodes: [] },
    ]);
    expect(popped.heap.find((h) => h.id === 3)!.owner).toEqual({ kind: 'refcount', count: 2 });
    // Continued from the snapshot as a keyframe: bpf_rbtree_remove takes it out of the tree only.
    const removed = run([{ t: 5, kind: 'obj_owner', obj: 3, from: TREE, to: { kind: 'refcount', count: 1 } }], run([{ t: 4, kind: 'obj_owner', obj: 3, from: PROG, to: LIST }], popped));
    expect(removed.roots).toEqual([
      { key: TREE.root, kind: 'rb_root', nodes: [1, 2], parents: [0, 1], red: [false, true] },
      { key: LIST.root, kind: 'list_head', nodes: [3] },
    ]);
    expect(removed.heap.find((h) => h.id === 3)!.owner).toEqual(LIST);
  });

  it('keeps keyframe fields (marked fieldsAt), and drops a tree shape it cannot know until the tree empties', () => {
    const kf = emptySnapshot({ cpus: 1 }, 10);
    const node = (id: number, fields: Record<string, string>) => ({ id, type: 'struct node', size: 32, owner: TREE, refcount: 1, fields, site });
    kf.heap.push(node(1, { key: '7' }), node(2, { key: '9' }));
    kf.roots.push({ key: TREE.root, kind: 'rb_root', nodes: [1, 2] }); // no shape: an older trace
    const s = new ReplayState(kf);
    s.apply({ t: 11, kind: 'obj_new', obj: 3, type: 'struct node', size: 32, site });
    s.apply({ t: 11, kind: 'obj_owner', obj: 3, from: { kind: 'freed' }, to: PROG, site });
    s.apply({ t: 12, kind: 'obj_owner', obj: 3, from: PROG, to: TREE, at: 1 });
    let snap = s.snapshot();
    expect(snap.roots).toEqual([{ key: TREE.root, kind: 'rb_root', nodes: [1, 3, 2] }]);
    expect(snap.heap.map((h) => [h.id, h.fields, h.fieldsAt])).toEqual([[1, { key: '7' }, 10], [2, { key: '9' }, 10], [3, {}, 11]]);
    for (const id of [1, 2, 3]) s.apply({ t: 13, kind: 'obj_owner', obj: id, from: TREE, to: PROG });
    s.apply({ t: 14, kind: 'obj_owner', obj: 2, from: PROG, to: TREE, at: 0 });
    snap = s.snapshot();
    expect(snap.roots).toEqual([{ key: TREE.root, kind: 'rb_root', nodes: [2], parents: [0], red: [false] }]);
    // An add without a position cannot be placed in the tree: shape unknown again.
    s.apply({ t: 15, kind: 'obj_owner', obj: 1, from: PROG, to: TREE });
    expect(s.snapshot().roots).toEqual([{ key: TREE.root, kind: 'rb_root', nodes: [2, 1] }]);
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

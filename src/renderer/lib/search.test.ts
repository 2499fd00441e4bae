import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../model/events';
import { kindsFor, parseQuery, sameFile, search } from './search';

const events: SimEvent[] = [
  { t: 0, kind: 'task_new', pid: 1, comm: 'ui-0', weight: 100 },
  { t: 5, kind: 'task_new', pid: 17, comm: 'batch-0', weight: 100 },
  { t: 10, kind: 'obj_new', obj: 17, type: 'struct task_node', size: 24, site: { program: 'rb_enqueue', insn: 3, line: 80 } },
  { t: 12, kind: 'op', cpu: 1, op: 'enqueue', pid: 17, args: ['0'], insns: 30 },
  { t: 14, kind: 'op', cpu: 0, op: 'dispatch', pid: -1, args: ['0', '0x0'], insns: 20 },
  { t: 20, kind: 'dsq_insert', cpu: 0, dsq: '0x8000000000000001', pid: 1, slice: 5, head: false },
];

describe('search', () => {
  it('parses object ids, pids, bare numbers and event kinds', () => {
    expect(parseQuery('#17')).toMatchObject({ num: 17, only: 'obj' });
    expect(parseQuery('obj 17')).toMatchObject({ num: 17, only: 'obj' });
    expect(parseQuery(' PID 3 ')).toMatchObject({ num: 3, only: 'task' });
    expect(parseQuery('17')).toMatchObject({ num: 17, only: null, kind: null });
    expect(parseQuery('dsq_insert')).toMatchObject({ kind: 'dsq_insert' });
    expect(kindsFor(parseQuery('#17'))).toEqual(['obj_new']);
    expect(kindsFor(parseQuery('enq'))).toEqual(['task_new', 'op', 'obj_owner']);
  });
  it('a bare number finds the task with that pid and the object with that id', () => {
    const hits = search(parseQuery('17'), events);
    expect(hits.map((h) => [h.group, h.t, h.select])).toEqual([
      ['task', 5, { kind: 'task', pid: 17 }],
      ['object', 10, { kind: 'obj', id: 17 }],
    ]);
    expect(hits[1]!.text).toContain('rb_enqueue:80');
  });
  it('#N finds only the object, text finds comms and ops by prefix, a kind lists its events', () => {
    expect(search(parseQuery('#17'), events).map((h) => h.group)).toEqual(['object']);
    expect(search(parseQuery('batch'), events).map((h) => h.select)).toEqual([{ kind: 'task', pid: 17 }]);
    const ops = search(parseQuery('enq'), events);
    expect(ops.map((h) => [h.group, h.t])).toEqual([['op', 12]]);
    expect(search(parseQuery('dispatch'), events)[0]!.select).toBeNull();
    expect(search(parseQuery('dsq_insert'), events).map((h) => [h.t, h.select])).toEqual([[20, { kind: 'task', pid: 1 }]]);
    expect(search(parseQuery('nothing-here'), events)).toEqual([]);
  });

  const moves: SimEvent[] = [
    { t: 30, kind: 'obj_new', obj: 5, type: 'struct task_ctx', size: 16, site: { program: 'rb_init_task', insn: 4, file: './assets/schedulers/rbtree.bpf.c', line: 116 } },
    { t: 30, kind: 'obj_owner', obj: 5, from: { kind: 'freed' }, to: { kind: 'program', program: 'rb_init_task', cpu: 0 }, site: { program: 'rb_init_task', insn: 4, file: './assets/schedulers/rbtree.bpf.c', line: 116 } },
    { t: 31, kind: 'obj_owner', obj: 5, from: { kind: 'program', program: 'rb_init_task', cpu: 0 }, to: { kind: 'kptr', slot: 'map task_stashes[pid 2].tctx' }, site: { program: 'rb_init_task', insn: 9, file: './assets/schedulers/rbtree.bpf.c', line: 83 } },
    { t: 40, kind: 'obj_owner', obj: 6, from: { kind: 'program', program: 'rb_enqueue', cpu: 1 }, to: { kind: 'rb_root', root: '.data.queue.queue' }, site: { program: 'rb_enqueue', insn: 30, file: './assets/schedulers/rbtree.bpf.c', line: 127 } },
    { t: 50, kind: 'obj_owner', obj: 5, from: { kind: 'kptr', slot: 'map task_stashes[pid 2].tctx' }, to: { kind: 'program', program: 'rb_running', cpu: 1 }, site: { program: 'rb_running', insn: 2, file: './assets/schedulers/rbtree.bpf.c', line: 75 } },
    { t: 60, kind: 'obj_new', obj: 7, type: 'struct task_ctx', size: 16, site: { program: 'rb_init_task', insn: 4, file: './assets/schedulers/rbtree.bpf.c', line: 116 } },
    { t: 70, kind: 'obj_new', obj: 8, type: 'struct task_ctx', size: 16, site: { program: 'rb_init_task', insn: 4, file: './other/rbtree.bpf.c.orig', line: 116 } },
  ];

  it('part of a kptr slot or root name finds the slot or root once, at its first change, selecting the object moved', () => {
    expect(kindsFor(parseQuery('tctx'))).toContain('obj_owner');
    const slots = search(parseQuery('task_stashes'), moves);
    expect(slots.map((h) => [h.group, h.t, h.select])).toEqual([['slot', 31, { kind: 'obj', id: 5 }]]);
    expect(slots[0]!.text).toContain('map task_stashes[pid 2].tctx');
    expect(slots[0]!.text).toContain('obj 5 put in');
    const roots = search(parseQuery('queue'), moves);
    expect(roots.map((h) => [h.group, h.t, h.select])).toEqual([['root', 40, { kind: 'obj', id: 6 }]]);
    expect(roots[0]!.text).toContain('rbtree .data.queue.queue');
  });

  it('file:line finds the events that line caused, the next after the cursor first, and names the line to open', () => {
    const p = parseQuery('rbtree.bpf.c:116');
    expect(p.line).toEqual({ file: 'rbtree.bpf.c', line: 116 });
    expect(kindsFor(p)).toEqual(['obj_new', 'obj_owner', 'obj_free', 'diagnostic']);
    // from the start: in time order, one hit per allocation; the other file that merely contains the name does not match
    expect(search(p, moves).map((h) => h.t)).toEqual([30, 60]);
    // with the cursor at 30 the next one (60) comes first, then the earlier one
    const hits = search(p, moves, 40, 30);
    expect(hits.map((h) => [h.group, h.t, h.select])).toEqual([
      ['line', 60, { kind: 'obj', id: 7 }],
      ['line', 30, { kind: 'obj', id: 5 }],
    ]);
    expect(hits[0]!.source).toEqual({ file: './assets/schedulers/rbtree.bpf.c', line: 116 });
    expect(hits[0]!.text).toContain('rbtree.bpf.c:116');
    expect(hits[0]!.text).not.toContain('before the cursor');
    expect(hits[1]!.text).toContain('before the cursor');
    expect(search(parseQuery('schedulers/rbtree.bpf.c:83'), moves).map((h) => h.t)).toEqual([31]);
    expect(search(parseQuery('rbtree.bpf.c:999'), moves)).toEqual([]);
    expect(sameFile('./assets/schedulers/rbtree.bpf.c', 'rbtree.bpf.c')).toBe(true);
    expect(sameFile('./assets/schedulers/xrbtree.bpf.c', 'rbtree.bpf.c')).toBe(false);
  });
});

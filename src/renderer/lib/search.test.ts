import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../model/events';
import { kindsFor, parseQuery, search } from './search';

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
    expect(kindsFor(parseQuery('enq'))).toEqual(['task_new', 'op']);
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
});

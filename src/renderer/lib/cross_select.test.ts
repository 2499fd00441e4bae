import { describe, expect, it } from 'vitest';
import type { HeapObjectSnapshot, SimEvent } from '../../model/events';
import { selectionOf, taskField } from './cross_select';

describe('selectionOf', () => {
  it('selects the task an event is about, the object it moves, and nothing for CPU-only events', () => {
    const cases: [SimEvent, ReturnType<typeof selectionOf>][] = [
      [{ t: 1, kind: 'switch', cpu: 0, prevPid: 3, nextPid: 7 }, { kind: 'task', pid: 7 }],
      [{ t: 1, kind: 'switch', cpu: 0, prevPid: 3, nextPid: 0 }, { kind: 'task', pid: 3 }],
      [{ t: 1, kind: 'dsq_insert', cpu: 0, dsq: '0x7', pid: 9, slice: 1, head: false }, { kind: 'task', pid: 9 }],
      [{ t: 1, kind: 'op', cpu: 0, op: 'dispatch', pid: -1, args: [], insns: 3 }, null],
      [{ t: 1, kind: 'obj_free', obj: 17 }, { kind: 'obj', id: 17 }],
      [{ t: 1, kind: 'obj_owner', obj: 4, from: { kind: 'freed' }, to: { kind: 'kptr', slot: 'map m[0].f' } }, { kind: 'obj', id: 4 }],
      [{ t: 1, kind: 'diagnostic', diag: { kind: 'leak', message: 'enqueue returned still owning obj 12 (struct n)' } }, { kind: 'obj', id: 12 }],
      [{ t: 1, kind: 'kick', cpu: 0, target: 1, flags: [] }, null],
    ];
    for (const [e, want] of cases) expect(selectionOf(e), e.kind).toEqual(want);
  });
});

describe('taskField', () => {
  const obj = (fields: Record<string, string>): HeapObjectSnapshot => ({ id: 1, type: 'struct task_node', size: 16, owner: { kind: 'freed' }, refcount: 1, fields, site: { program: 'p', insn: 0 } });
  it("finds the pid an rbtree node keeps, and ignores zero and other fields", () => {
    expect(taskField(obj({ vtime: '100', pid: '42' }))).toEqual({ field: 'pid', pid: 42 });
    expect(taskField(obj({ vtime: '100', pid: '0' }))).toBeNull();
    expect(taskField(obj({ vtime: '100', weight: '42' }))).toBeNull();
    expect(taskField(undefined)).toBeNull();
  });
});

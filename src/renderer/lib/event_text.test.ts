import { describe, expect, it } from 'vitest';
import { eventCpu, eventText } from './event_text';

describe('eventText', () => {
  it('summarises ops with their arguments and return value', () => {
    expect(eventText({ t: 1, kind: 'op', cpu: 0, op: 'select_cpu', pid: 42, args: ['prev_cpu 1'], ret: '3', insns: 57 })).toBe(
      'select_cpu(pid 42, prev_cpu 1) = 3 · 57 insns',
    );
  });
  it('shows ownership transitions in words', () => {
    expect(
      eventText({ t: 1, kind: 'obj_owner', obj: 7, from: { kind: 'program', program: 'enqueue', cpu: 1 }, to: { kind: 'rb_root', root: 'map tree[0].root' } }),
    ).toBe('#7 added to rbtree map tree[0].root');
    const prog = { kind: 'program', program: 'enqueue', cpu: 1 } as const;
    expect(eventText({ t: 1, kind: 'obj_owner', obj: 170, from: { kind: 'freed' }, to: prog })).toBe('#170 allocated by enqueue on CPU 1');
    expect(eventText({ t: 1, kind: 'obj_owner', obj: 3, from: prog, to: { kind: 'kptr', slot: 'map ctx[pid 4].stash' } })).toBe('#3 stashed in map ctx[pid 4].stash');
    expect(eventText({ t: 1, kind: 'obj_owner', obj: 3, from: prog, to: { kind: 'freed' } })).toBe('#3 dropped by program enqueue');
    expect(eventText({ t: 1, kind: 'obj_owner', obj: 3, from: { kind: 'rb_root', root: 'r' }, to: prog })).toBe('#3 taken by enqueue on CPU 1 from rbtree r');
  });
  it('gives ownership changes the CPU of the program involved', () => {
    expect(eventCpu({ t: 1, kind: 'obj_owner', obj: 7, from: { kind: 'program', program: 'enqueue', cpu: 1 }, to: { kind: 'rb_root', root: 'r' } })).toBe(1);
    expect(eventCpu({ t: 1, kind: 'obj_owner', obj: 7, from: { kind: 'freed' }, to: { kind: 'program', program: 'dispatch', cpu: 3 } })).toBe(3);
  });
  it('knows which events have a CPU', () => {
    expect(eventCpu({ t: 1, kind: 'switch', cpu: 3, prevPid: 0, nextPid: 5 })).toBe(3);
    expect(eventCpu({ t: 1, kind: 'task_exit', pid: 5 })).toBeUndefined();
  });
});

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
    ).toBe('#7 program enqueue on CPU 1 → rbtree map tree[0].root');
  });
  it('knows which events have a CPU', () => {
    expect(eventCpu({ t: 1, kind: 'switch', cpu: 3, prevPid: 0, nextPid: 5 })).toBe(3);
    expect(eventCpu({ t: 1, kind: 'task_exit', pid: 5 })).toBeUndefined();
  });
});

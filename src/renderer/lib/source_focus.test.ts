import { describe, expect, it } from 'vitest';
import type { ObjectSummary } from '../../protocol/contract';
import type { DebugSource } from '../../protocol/debug_contract';
import { eventSourceRef, gutterCounts, resolveFocus } from './source_focus';

const source: DebugSource = {
  files: [
    { file: 'build/../sched.bpf.c', text: '', origin: 'disk', codeLines: [] },
    { file: '/inc/helpers.h', text: '', origin: 'line_info', codeLines: [] },
  ],
  programs: [
    { name: 'sched_enqueue', file: 'build/../sched.bpf.c', line: 40 },
    { name: 'sched_dispatch', file: 'build/../sched.bpf.c', line: 60 },
  ],
};
const scheduler = { structOps: [{ name: 'ops', opsName: 'x', kernelType: '', section: '', scalars: {}, ops: [{ op: 'enqueue', program: 'sched_enqueue' }, { op: 'dispatch', program: 'sched_dispatch' }] }] } as unknown as ObjectSummary;

describe('source focus', () => {
  it('takes the site an event records, or the program an op ran', () => {
    const site = { program: 'sched_enqueue', insn: 12, file: 'build/../sched.bpf.c', line: 44 };
    expect(eventSourceRef({ t: 1, kind: 'obj_owner', obj: 3, from: { kind: 'program', program: 'p', cpu: 0 }, to: { kind: 'kptr', slot: 'map m[0].f' }, site }, scheduler)).toEqual({ program: 'sched_enqueue', file: site.file, line: 44 });
    expect(eventSourceRef({ t: 1, kind: 'op', cpu: 0, op: 'dispatch', pid: -1, args: [], insns: 9 }, scheduler)).toEqual({ program: 'sched_dispatch' });
    expect(eventSourceRef({ t: 1, kind: 'op', cpu: 0, op: 'tick', pid: 2, args: [], insns: 9 }, scheduler)).toBeUndefined();
    expect(eventSourceRef({ t: 1, kind: 'obj_free', obj: 3 }, scheduler)).toBeUndefined();
    expect(eventSourceRef({ t: 1, kind: 'exit', exit: { kind: 'SCX_EXIT_ERROR_BPF', reason: '', message: '', program: 'sched_enqueue', line: 50 } }, scheduler)).toEqual({ line: 50, program: 'sched_enqueue' });
  });

  it('resolves a file by its last part, a program to where it starts, and refuses what the source lacks', () => {
    expect(resolveFocus(source, { file: '/elsewhere/sched.bpf.c', line: 7 })).toEqual({ fileIndex: 0, line: 7 });
    expect(resolveFocus(source, { file: 'helpers.h', line: 3 })).toEqual({ fileIndex: 1, line: 3 });
    expect(resolveFocus(source, { program: 'sched_dispatch' })).toEqual({ fileIndex: 0, line: 60 });
    // an allocation site knows its program and line, not the file
    expect(resolveFocus(source, { program: 'sched_enqueue', line: 44 })).toEqual({ fileIndex: 0, line: 44 });
    expect(resolveFocus(source, { program: 'nosuch' })).toBeNull();
    expect(resolveFocus(null, { file: 'sched.bpf.c', line: 1 })).toBeNull();
  });

  it('puts op calls on the program\'s first line and ownership events on theirs, for the shown file only', () => {
    const g = gutterCounts('build/../sched.bpf.c', {
      lines: [
        { file: 'sched.bpf.c', line: 44, alloc: 2, move: 3, free: 0 },
        { file: 'build/../sched.bpf.c', line: 40, alloc: 0, move: 0, free: 1 },
        { file: 'helpers.h', line: 44, alloc: 9, move: 0, free: 0 },
      ],
      ops: [{ op: 'enqueue', calls: 17 }, { op: 'tick', calls: 5 }],
    }, source, scheduler);
    expect([...g.text].sort((a, b) => a[0] - b[0])).toEqual([[40, '17× 1'], [44, '5']]);
    expect(g.title.get(44)).toBe('5 ownership events (2 allocated, 3 owner changes)');
    expect(g.title.get(40)).toBe('called 17 times; 1 ownership events (1 freed)');
  });
});

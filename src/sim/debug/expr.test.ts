// The expression language over a real BTF (the simulated kernel's) and a real
// address space: C precedence, signedness, casts, struct fields through
// pointers, arrays, enum constants, and the errors that name what failed.

import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../sched_ext/vm/memory';
import { createKernelEnv } from '../kernel/kernel_env';
import { parseExpr, ExprSyntaxError } from '../../sched_ext/debug/expr_parse';
import { evaluate, EvalError, type EvalEnv, type Value } from '../../sched_ext/debug/expr_eval';
import { fromBtf, U64 } from '../../sched_ext/debug/value_type';
import { describePointer, memoryText, renderMemory } from '../../sched_ext/debug/memory_view';

const btf = createKernelEnv({}).btf;
const space = new AddressSpace();
const task = btf.findByName('task_struct', 'struct')!;
const region = space.alloc('kernel', 'task_struct pid 42 (worker)', btf.sizeOf(task.id));
const pidOff = btf.memberPath('task_struct', 'pid').offset;
const weightOff = btf.memberPath('task_struct', 'scx.weight').offset;
region.view.setInt32(pidOff, 42, true);
region.view.setUint32(weightOff, 100, true);
const commOff = btf.memberPath('task_struct', 'comm').offset;
region.bytes.set(new TextEncoder().encode('worker'), commOff);
const p = space.pointer(region);

const env: EvalEnv = {
  space,
  btfs: [btf],
  lookup: (name): Value | undefined => {
    if (name === 'p') return { v: p, t: { k: 'ptr', to: fromBtf(btf, task.id) } };
    if (name === 'enq_flags') return { v: 0x9n, t: U64 };
    if (name === 'r1') return { v: 0xffff_ffff_ffff_fffen, t: U64 };
    return undefined;
  },
};
const ev = (s: string) => evaluate(s, env).v;

describe('debugger expressions', () => {
  it('follows C precedence and associativity', () => {
    expect(ev('1 + 2 * 3')).toBe(7n);
    expect(ev('(1 + 2) * 3')).toBe(9n);
    expect(ev('10 - 3 - 2')).toBe(5n);
    expect(ev('1 << 4 | 1')).toBe(17n);
    expect(ev('6 & 3 == 2')).toBe(0n); // == binds tighter than &
    expect(ev('1 || 0 && 0')).toBe(1n);
    expect(ev('!0 + ~0 + 1')).toBe(1n);
  });

  it('reads struct fields through pointers, nested members, and arrays', () => {
    expect(ev('p->pid')).toBe(42n);
    expect(ev('p->pid == 42')).toBe(1n);
    expect(ev('p->scx.weight')).toBe(100n);
    expect(ev('(*p).pid')).toBe(42n);
    expect(ev('p->comm[1]')).toBe(BigInt('o'.charCodeAt(0)));
    expect(ev('&p->pid')).toBe(p + BigInt(pidOff));
    expect(ev('*(int *)((u64)p + ' + pidOff + ')')).toBe(42n);
  });

  it('uses enum constants from BTF and the types\' signedness', () => {
    expect(ev('enq_flags & SCX_ENQ_WAKEUP')).toBe(1n);
    expect(ev('SCX_DSQ_GLOBAL')).toBe((1n << 63n) | 1n);
    expect(ev('(s64)r1 < 0')).toBe(1n);
    expect(ev('r1 < 0')).toBe(0n); // u64 compares unsigned
    expect(ev('(s32)r1')).toBe(BigInt.asUintN(64, -2n));
  });

  it('errors name the field, the variable or the column', () => {
    expect(() => ev('p->nosuch')).toThrow(EvalError);
    expect(() => ev('p->nosuch')).toThrow(/struct task_struct has no field 'nosuch'/);
    expect(() => ev('x + 1')).toThrow(/no variable, register or constant named 'x'/);
    expect(() => ev('p.pid')).toThrow(/'\.pid' needs a struct, but p is struct task_struct \*/);
    expect(() => ev('*(u64 *)0')).toThrow(/is NULL/);
    expect(() => ev('1 / 0')).toThrow(/division by zero/);
    expect(() => parseExpr('p->')).toThrow(ExprSyntaxError);
    expect(() => parseExpr('1 + $')).toThrow(/unexpected character '\$' at column 5/);
    expect(() => ev('(struct nosuch *)p')).toThrow(/no type named 'struct nosuch'/);
  });

  it('decodes pointers and renders a struct at an address', () => {
    expect(describePointer(space, p + 0x18n)!.label).toBe('task_struct pid 42 +0x18');
    expect(describePointer(space, p)!.target).toEqual({ kind: 'task', pid: 42 });
    expect(describePointer(space, 42n)).toBeUndefined();
    const heap = space.alloc('heap', 'obj 12 (struct node)', 32);
    expect(describePointer(space, space.pointer(heap, 16))!.label).toBe('obj #12 struct node +0x10');
    const mv = space.alloc('map_value', 'map stash[3]', 16);
    expect(describePointer(space, space.pointer(mv, 8))!.label).toBe('map stash value[3] +0x8');
    const tree = renderMemory(space, fromBtf(btf, task.id), p, '*p', { depth: 2 });
    const pid = tree.children!.find((c) => c.name === 'pid')!;
    expect(pid).toMatchObject({ value: '42', offset: pidOff, type: 'pid_t' });
    const scx = tree.children!.find((c) => c.name === 'scx')!;
    expect(scx.children!.find((c) => c.name === 'weight')!.value).toBe('100 (0x64)');
    expect(memoryText(tree).some((l) => /^ {2}pid \(pid_t, \+0x[0-9a-f]+\) = 42$/.test(l))).toBe(true);
  });
});

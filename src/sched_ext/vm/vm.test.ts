import { describe, expect, it } from 'vitest';
import { POISON_HELPER_ID, type EngineKind, type NativeDef, type NativeEnv, type NativeTable } from './abi';
import { BpfFault } from './fault';
import { createVm } from './index';
import { asmImage, image } from './testing/images';
import { assemble } from '../asm/assembler';

const ENGINES: EngineKind[] = ['interp', 'jit'];

function table(helpers: Record<number, (env: NativeEnv) => ReturnType<NativeDef['fn']>>, kfuncs: typeof helpers = {}): NativeTable {
  return {
    helper: (id) => (helpers[id] ? { name: `helper_${id}`, fn: helpers[id]! } : undefined),
    kfunc: (id) => (kfuncs[id] ? { name: `kfunc_${id}`, fn: kfuncs[id]! } : undefined),
  };
}

function faultOf(fn: () => unknown): BpfFault {
  try {
    fn();
  } catch (e) {
    if (e instanceof BpfFault) return e;
    throw e;
  }
  throw new Error('expected a BpfFault');
}

describe.each(ENGINES)('BpfVm (%s)', (engine) => {
  it('passes r1..r5 to helpers and converts their return values like the ABI says', () => {
    const seen: bigint[] = [];
    const natives = table({
      1: (env) => env.arg(1) + env.arg(2),
      2: () => -22, // -EINVAL as a number
      3: (env) => {
        seen.push(env.arg(3), BigInt(env.argS32(4)), BigInt(env.argU32(4)));
        return true;
      },
    });
    const vm = createVm({ engine, natives });
    const prog = vm.load(asmImage(`
      mov %r1, 40
      mov %r2, 2
      call 1
      mov %r6, %r0
      call 2
      mov %r7, %r0
      mov %r3, 9
      mov %r4, -1
      call 3
      add %r0, %r6
      add %r0, %r7
      exit`));
    // 42 + (2^64 - 22) + 1 wraps to 21.
    expect(vm.call(prog, [])).toBe(21n);
    expect(seen).toEqual([9n, -1n, 0xffffffffn]);
  });

  it('calls kfuncs (call src 2) through NativeTable.kfunc and tells them the program and insn', () => {
    let where = '';
    const natives = table({}, { 77: (env) => ((where = `${env.program}@${env.insn}`), 5n) });
    const vm = createVm({ engine, natives });
    const prog = vm.load(asmImage('mov %r1, 1\ncall 77\nexit', (p) => p.src(1, 2)));
    expect(vm.call(prog, [])).toBe(5n);
    expect(where).toBe('test_prog@1');
  });

  it('a poisoned instruction faults with the loader\'s reason', () => {
    const insns = assemble(`mov %r0, 0\ncall ${POISON_HELPER_ID}\nexit`);
    const why = 'CO-RE relocation failed: struct task_struct has no field scx.dsq_flags';
    const vm = createVm({ engine, natives: table({}) });
    const prog = vm.load(image(insns, 'enqueue', [{ insn: 1, file: 'sched.bpf.c', line: 12, column: 3, text: 'p->scx.dsq_flags = 0;' }], new Map([[1, why]])));
    const f = faultOf(() => vm.call(prog, []));
    expect(f.kind).toBe('poisoned');
    expect(f.site.insn).toBe(1);
    expect(f.site.line).toBe(12);
    expect(f.detail).toContain(why);
  });

  it('load rejects an undecodable instruction, naming it', () => {
    const insns = assemble('mov %r0, 0\nmov %r0, 1\nexit');
    insns[8] = 0xff;
    const vm = createVm({ engine, natives: table({}) });
    const f = faultOf(() => vm.load(image(insns)));
    expect(f.kind).toBe('bad_insn');
    expect(f.site.insn).toBe(1);
    expect(f.message).toContain('0xff');
  });

  it('load rejects a jump out of the program', () => {
    const vm = createVm({ engine, natives: table({}) });
    const f = faultOf(() => vm.load(asmImage('ja +5\nexit')));
    expect(f.kind).toBe('bad_insn');
    expect(f.detail).toMatch(/target 6 is outside/);
  });

  it('NativeEnv.callback runs a BPF_PSEUDO_FUNC target with r1..r5 = args and shares the budget', () => {
    const natives = table({
      // like bpf_loop: call the function twice
      10: (env) => env.callback(env.arg(1), [5n, 7n]) + env.callback(env.arg(1), [1n, 2n]),
    });
    const vm = createVm({ engine, natives });
    // slot 0-1: lddw r1 = func (patched to src 4, imm relative to the next slot)
    const prog = vm.load(asmImage(`
      lddw %r1, 0
      mov %r6, 100
      call 10
      add %r0, %r6
      exit
    cb:
      mov %r0, %r1
      mul %r0, %r2
      mov %r6, 0
      exit`, (p) => p.src(0, 4).imm(0, 5)));
    expect(vm.call(prog, [])).toBe(35n + 2n + 100n);
    // caller 5 + 2 × callback 4
    expect(vm.lastInsnCount).toBe(13);
  });

  it('a fault inside a callback names the callback\'s instruction and keeps its instruction count', () => {
    const natives = table({ 10: (env) => env.callback(env.arg(1), [0n]) });
    const vm = createVm({ engine, natives });
    const prog = vm.load(asmImage(`
      lddw %r1, 0
      call 10
      exit
    cb:
      mov %r0, 1
      ldxdw %r0, [%r1]
      exit`, (p) => p.src(0, 4).imm(0, 3)));
    const f = faultOf(() => vm.call(prog, []));
    expect(f.kind).toBe('null');
    expect(f.site.insn).toBe(5);
    // lddw, call, then the callback's mov and the faulting load
    expect(vm.lastInsnCount).toBe(4);
  });

  it('a native may call into the VM again (a nested top-level call stacks above it)', () => {
    const natives = table({ 11: (env) => vm.call(inner, [env.arg(1)]) + 1n });
    const vm = createVm({ engine, natives });
    const inner = vm.load(asmImage('mov %r0, %r1\nmul %r0, 10\nexit'));
    const outer = vm.load(asmImage('mov %r6, 5\nmov %r1, 4\ncall 11\nadd %r0, %r6\nexit'));
    expect(vm.call(outer, [])).toBe(46n);
    expect(vm.lastInsnCount).toBe(8);
  });

  it('callx calls through a function pointer and preserves r6..r9', () => {
    const vm = createVm({ engine, natives: table({}) });
    const prog = vm.load(asmImage(`
      lddw %r2, 0
      mov %r6, 6
      mov %r1, 3
      call %r2
      add %r0, %r6
      exit
    f:
      mov %r6, 1000
      mov %r0, %r1
      lsh %r0, 4
      exit`, (p) => p.src(0, 4).imm(0, 6)));
    expect(vm.call(prog, [])).toBe(48n + 6n);
  });

  it('callFunction runs a function pointer as a top-level call (a timer firing later)', () => {
    const vm = createVm({ engine, natives: table({}) });
    // The program returns the address of `cb`, as bpf_timer_set_callback would receive it.
    const prog = vm.load(asmImage(`
      lddw %r0, 0
      exit
    cb:
      mov %r0, %r1
      add %r0, %r2
      exit`, (p) => p.src(0, 4).imm(0, 2)));
    const fn = vm.call(prog, []);
    expect(vm.callFunction(fn, [40n, 2n])).toBe(42n);
    expect(vm.lastInsnCount).toBe(3);
    expect(faultOf(() => vm.callFunction(0x1234n, [])).kind).toBe('bad_call');
  });

  it('callx through a scalar that is not a function faults bad_call', () => {
    const vm = createVm({ engine, natives: table({}) });
    const prog = vm.load(asmImage('lddw %r2, 0x100000000\ncall %r2\nexit'));
    const f = faultOf(() => vm.call(prog, []));
    expect(f.kind).toBe('bad_call');
    expect(f.site.insn).toBe(2);
  });

  it('ld_imm64 map references go through the resolver', () => {
    const vm = createVm({
      engine, natives: table({}),
      resolver: {
        mapPointer: (i) => vm.space.pointer(maps[i]!),
        mapValuePointer: (i, off) => vm.space.pointer(maps[i]!, off),
      },
    });
    const maps = [vm.space.alloc('map_value', 'a', 16), vm.space.alloc('map_value', 'b', 16)];
    maps[1]!.view.setBigUint64(8, 0x1234n, true);
    const prog = vm.load(asmImage('lddw %r1, 0\nldxdw %r0, [%r1]\nexit', (p) => p.src(0, 2).imm(0, 1).imm(1, 8)));
    expect(vm.call(prog, [])).toBe(0x1234n);
  });

  it('callWithCtx puts args in a u64 ctx[] that r1 points at, and ctx[] ends where the args do', () => {
    const vm = createVm({ engine, natives: table({}) });
    const sum = vm.load(asmImage('ldxdw %r0, [%r1]\nldxdw %r2, [%r1+8]\nadd %r0, %r2\nexit'));
    expect(vm.callWithCtx(sum, [40n, 2n])).toBe(42n);
    expect(vm.callWithCtx(sum, [1n, 2n])).toBe(3n);
    const f = faultOf(() => vm.callWithCtx(sum, [1n]));
    expect(f.kind).toBe('out_of_bounds');
    expect(f.site.insn).toBe(1);
  });

  it('callWithCtxHalves runs like callWithCtx: same ctx[], r0 split into halves, same count and faults', () => {
    const vm = createVm({ engine, natives: table({}), budget: 50 });
    const sum = vm.load(asmImage('ldxdw %r0, [%r1]\nldxdw %r2, [%r1+8]\nadd %r0, %r2\nexit'));
    // ctx[0] = 0x1_ffffffff, ctx[1] = 1: the carry reaches r0's high half.
    expect(vm.callWithCtxHalves(sum, 2, [-1, 1], [1, 0])).toBe(0);
    expect(vm.r0Hi).toBe(2);
    expect(vm.lastInsnCount).toBe(4);
    expect(vm.callWithCtx(sum, [0x1_ffff_ffffn, 1n])).toBe(0x2_0000_0000n);
    // -5 + 2 = -3: both halves signed.
    expect(vm.callWithCtxHalves(sum, 2, [-5, 2], [-1, 0])).toBe(-3);
    expect(vm.r0Hi).toBe(-1);
    const f = faultOf(() => vm.callWithCtxHalves(sum, 1, [1], [0]));
    expect(f.kind).toBe('out_of_bounds');
    expect(f.site.insn).toBe(1);
    const loop = vm.load(asmImage('ldxdw %r0, [%r1]\nja -1\nexit'));
    const b = faultOf(() => vm.callWithCtxHalves(loop, 1, [0], [0]));
    expect(b.kind).toBe('budget');
    const counted = vm.lastInsnCount;
    expect(counted).toBeGreaterThan(0);
    const c = faultOf(() => vm.callWithCtx(loop, [0n]));
    expect([c.kind, c.site.insn, vm.lastInsnCount]).toEqual([b.kind, b.site.insn, counted]);
  });

  it('ctx[] regions are reused across calls, and a callWithCtx made by a native gets its own', () => {
    let inner: (() => bigint) | undefined;
    const vm = createVm({ engine, natives: table({ 7: () => inner!() }) });
    // r6 = ctx; call 7 (which runs another program through callWithCtx); r0 = ctx[0] * 1000 + r0
    const outer = vm.load(asmImage('mov %r6, %r1\ncall 7\nldxdw %r1, [%r6]\nmul %r1, 1000\nadd %r0, %r1\nexit'));
    const first = vm.load(asmImage('ldxdw %r0, [%r1]\nexit'));
    inner = () => vm.callWithCtx(first, [7n]);
    expect(vm.callWithCtx(outer, [3n])).toBe(3007n);
    const regions = vm.space.regions.length;
    expect(vm.callWithCtx(outer, [4n])).toBe(4007n);
    expect(vm.callWithCtxHalves(outer, 1, [5], [0])).toBe(5007);
    inner = () => BigInt(vm.callWithCtxHalves(first, 1, [9], [0]));
    expect(vm.callWithCtx(outer, [6n])).toBe(6009n);
    expect(vm.space.regions.length).toBe(regions);
  });

  it('callbacks start from zeroed registers each time, and nested callbacks keep their own', () => {
    const natives = table({
      // run the callback with five args, then with one: r2..r5 must not survive
      10: (env) => env.callback(env.arg(1), [1n, 2n, 3n, 4n, 5n]) * 100n + env.callback(env.arg(1), [9n]),
      // from inside the callback: a callback one frame deeper
      11: (env) => env.callback(env.arg(2), [env.arg(1) + 1n]),
    });
    const vm = createVm({ engine, natives });
    // slot 0-1: lddw r1 = cb (slot 4); cb: r0 = r2 + r3 + r4 + r5 + r1 then call 11 runs leaf(r1 + 1) a frame deeper
    const prog = vm.load(asmImage(`
      lddw %r1, 0
      call 10
      exit
    cb:
      mov %r6, %r1
      mov %r0, %r2
      add %r0, %r3
      add %r0, %r4
      add %r0, %r5
      add %r0, %r6
      mov %r7, %r0
      lddw %r2, 0
      call 11
      add %r0, %r7
      exit
    leaf:
      mov %r0, %r1
      mul %r0, 10
      exit`, (p) => p.src(0, 4).imm(0, 3).src(11, 4).imm(11, 4)));
    // first: r1..r5 = 1..5 -> 15, leaf(2) = 20 -> 35; second: r1 = 9 -> 9, leaf(10) = 100 -> 109
    expect(vm.call(prog, [])).toBe(3500n + 109n);
  });

  it('small regions share slabs but stay separate: bounds, contents and faults are per region', () => {
    const vm = createVm({ engine, natives: table({}) });
    const a = vm.space.alloc('heap', 'a', 12);
    const b = vm.space.alloc('heap', 'b', 8);
    expect(a.bytes.length).toBe(12);
    expect(a.view.byteLength).toBe(12);
    a.bytes.fill(0xff);
    expect([...b.bytes]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    // an 8-byte store at offset 8 of a 12-byte region faults instead of spilling into b
    const store = vm.load(asmImage('mov %r2, -1\nstxdw [%r1+8], %r2\nmov %r0, 0\nexit'));
    const f = faultOf(() => vm.call(store, [vm.space.pointer(a)]));
    expect(f.kind).toBe('out_of_bounds');
    expect(f.site.region).toBe('a');
    expect([...b.bytes]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => a.bytes.set([1, 2, 3, 4, 5], 10)).toThrow(RangeError);
  });

  it('may_goto jumps once its per-frame allowance (8M, the kernel\'s BPF_MAX_LOOPS) is used up', () => {
    const vm = createVm({ engine, natives: table({}), budget: 30_000_000 });
    const prog = vm.load(asmImage('mov %r0, 0\nja +2\nadd %r0, 1\nja -3\nexit', (p) => p.op(1, 0xe5)));
    expect(vm.call(prog, [])).toBe(8n * 1024n * 1024n);
  });

  it('a native throwing a plain Error becomes a native fault at the call', () => {
    const vm = createVm({ engine, natives: table({ 9: () => { throw new Error('invalid DSQ id 0x8000000000000000'); } }) });
    const prog = vm.load(asmImage('mov %r0, 0\ncall 9\nexit'));
    const f = faultOf(() => vm.call(prog, []));
    expect(f.kind).toBe('native');
    expect(f.site.insn).toBe(1);
    expect(f.detail).toContain('helper_9 failed: invalid DSQ id');
  });
});

describe('AddressSpace.resolve (what natives use)', () => {
  it('checks in the order null, freed, bounds, read-only, and puts the address in the fault', () => {
    const vm = createVm({ natives: table({}) });
    const space = vm.space;
    const ro = space.alloc('global', '.rodata', 16, { readonly: true });
    const gone = space.alloc('heap', 'obj 1', 8);
    space.free(gone);
    const kind = (f: () => unknown) => faultOf(f).kind;
    expect(kind(() => space.resolve(0n, 8, false))).toBe('null');
    expect(kind(() => space.resolve(0x10n, 8, false))).toBe('null');
    expect(kind(() => space.resolve(0xdead_0000_0000n, 8, false))).toBe('bad_pointer');
    expect(kind(() => space.resolve(space.pointer(gone, 100), 8, true))).toBe('freed');
    expect(kind(() => space.resolve(space.pointer(ro, 12), 8, true))).toBe('out_of_bounds');
    expect(kind(() => space.resolve(space.pointer(ro, -1), 1, false))).toBe('out_of_bounds');
    const f = faultOf(() => space.resolve(space.pointer(ro, 8), 8, true));
    expect(f.kind).toBe('readonly');
    expect(f.site.address).toBe(space.pointer(ro, 8));
    expect(f.site.region).toBe('.rodata');
    expect(space.resolve(space.pointer(ro, 8), 8, false)).toEqual({ region: ro, offset: 8 });
  });
});

describe('Stepper', () => {
  it('steps one instruction at a time, exposing pc, registers, stack and the source line', () => {
    const vm = createVm({ engine: 'interp', natives: table({}) });
    const prog = vm.load(image(assemble('mov %r0, 7\nstxdw [%r10-8], %r0\nadd %r0, %r1\nexit'), 'p', [
      { insn: 0, file: 'a.c', line: 10, column: 1, text: 'x = 7;' },
      { insn: 2, file: 'a.c', line: 11, column: 1, text: 'return x + y;' },
    ]));
    const s = vm.stepper(prog, [5n]);
    expect(s.pc).toBe(0);
    expect(s.line?.line).toBe(10);
    expect(s.step()).toBe(true);
    expect(s.regs[0]).toBe(7n);
    expect(s.line?.line).toBe(10);
    expect(s.step()).toBe(true);
    expect(s.line?.line).toBe(11);
    expect(new DataView(s.stack().buffer).getBigUint64(504, true)).toBe(7n);
    expect(s.step()).toBe(true);
    expect(s.pc).toBe(3);
    expect(s.line?.line).toBe(11);
    expect(s.regs[0]).toBe(12n);
    expect(s.step()).toBe(false);
    expect(s.done).toBe(true);
    expect(s.result).toBe(12n);
    expect(s.insnCount).toBe(4);
  });
});

describe('Stepper navigation', () => {
  const SRC = `
    mov %r1, 2
    call local f
    add %r0, 1
    exit
  f:
    mov %r0, %r1
    call local g
    exit
  g:
    mul %r0, 10
    exit`;

  it('shows the call stack and steps over and out of calls', () => {
    const vm = createVm({ engine: 'interp', natives: table({}) });
    const prog = vm.load(asmImage(SRC));
    const s = vm.stepper(prog, []);
    s.runUntil((x) => x.pc === 7);
    expect(s.callStack().map((f) => [f.depth, f.pc])).toEqual([[0, 1], [1, 5], [2, 7]]);
    expect(s.stepOut()).toBe(true);
    expect([s.depth, s.pc]).toEqual([1, 6]);
    expect(s.stepOut()).toBe(true);
    expect([s.depth, s.pc, s.regs[0]]).toEqual([0, 2, 20n]);
    expect(s.step()).toBe(true);
    expect(s.stepOver()).toBe(false);
    expect(s.result).toBe(21n);
  });

  it('stepOver runs a whole call as one step', () => {
    const vm = createVm({ engine: 'interp', natives: table({}) });
    const s = vm.stepper(vm.load(asmImage(SRC)), []);
    s.step();
    expect(s.stepOver()).toBe(true);
    expect([s.depth, s.pc, s.regs[0]]).toEqual([0, 2, 20n]);
  });

  it('a paused Stepper keeps its own stack while the VM serves other calls', () => {
    const vm = createVm({ engine: 'jit', natives: table({}) });
    const prog = vm.load(asmImage('stxdw [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit'));
    const s = vm.stepper(prog, [111n]);
    s.step();
    expect(vm.call(prog, [222n])).toBe(222n);
    expect(s.stepOver()).toBe(true);
    expect(s.regs[0]).toBe(111n);
  });

  it('describes pointer registers by region', () => {
    const vm = createVm({ engine: 'interp', natives: table({}) });
    const s = vm.stepper(vm.load(asmImage('mov %r0, 0\nexit')), []);
    const value = vm.space.alloc('map_value', 'cpu_ctx[3]', 32);
    expect(vm.space.describe(s.regs[10]!)).toBe('stack frame 0+0');
    expect(vm.space.describe(vm.space.pointer(value, 16))).toBe('cpu_ctx[3]+16');
    expect(vm.space.describe(42n)).toBeUndefined();
  });
});

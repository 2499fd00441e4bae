// What both engines share at run time: the address space, the stack frames
// (one 512-byte region per call depth, like MAX_BPF_STACK per frame and
// MAX_CALL_FRAMES = 8 frames), the registers saved by bpf-to-bpf calls, the
// instruction budget, native calls and callbacks, and fault locating.

import type { LineInfo, MapRefResolver, NativeDef, NativeEnv, NativeTable, ProgramImage } from './abi';
import { POISON_HELPER_ID } from './abi';
import { BpfFault } from './fault';
import { fromBig, fromNumber, OUT, toBig } from './int64';
import { AddressSpace, LO_BASE, type Region } from './memory';
import type { DecodedProgram } from './decode';
import { CALL_SRC, LDDW, MAX_CALL_FRAMES, MAY_GOTO_LIMIT, PSEUDO, STACK_FRAME_SIZE } from './opcodes';

/** Registers and position of one run (a top-level call or a callback). */
export interface ExecState {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  pc: number;
  depth: number;
  /** The frame whose exit ends this run. */
  readonly baseDepth: number;
  done: boolean;
}

export function newState(depth: number): ExecState {
  return { lo: new Int32Array(11), hi: new Int32Array(11), pc: 0, depth, baseDepth: depth, done: false };
}

/** A program after load: decoded once, ld_imm64 constants resolved. */
export interface CompiledProgram {
  readonly image: ProgramImage;
  readonly code: DecodedProgram;
  /** For lddw at slot i: the 64-bit value it loads, as halves. */
  readonly kLo: Int32Array;
  readonly kHi: Int32Array;
  /** The 'func' region callback pointers into this program point at. */
  readonly funcRegion: Region;
  /** Set by the JIT: runs `st` to completion. */
  jit?: (st: ExecState) => void;
  /** Set by the JIT for debugging and tests: the generated source. */
  jitSource?: string;
}

export type Runner = (core: VmCore, prog: CompiledProgram, st: ExecState) => void;

/** The NativeEnv handed to helpers and kfuncs; one per call depth so nested callbacks never share one. */
export class CallEnv implements NativeEnv {
  readonly lo = new Int32Array(6);
  readonly hi = new Int32Array(6);
  program = '';
  insn = 0;
  prog: CompiledProgram | undefined;

  constructor(private readonly core: VmCore, readonly depth: number) {}

  get space(): AddressSpace {
    return this.core.space;
  }

  get image(): ProgramImage | undefined {
    return this.prog?.image;
  }

  arg(i: 1 | 2 | 3 | 4 | 5): bigint {
    return toBig(this.lo[i]!, this.hi[i]!);
  }

  argU32(i: 1 | 2 | 3 | 4 | 5): number {
    return this.lo[i]! >>> 0;
  }

  argS32(i: 1 | 2 | 3 | 4 | 5): number {
    return this.lo[i]!;
  }

  sourceLine(): LineInfo | undefined {
    return this.prog === undefined ? undefined : lineAt(this.prog.image, this.insn);
  }

  callback(fn: bigint, args: readonly bigint[]): bigint {
    return this.core.runCallback(this.depth + 1, fn, args);
  }
}

/** The last line_info entry at or before `insn` (clang emits one per statement start). */
export function lineAt(image: ProgramImage, insn: number): LineInfo | undefined {
  const li = image.lineInfo;
  let lo = 0, hi = li.length - 1, found: LineInfo | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = li[mid]!;
    if (e.insn <= insn) {
      found = e;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export class VmCore {
  readonly regions: (Region | undefined)[];
  /** Region id of the stack frame at each depth. */
  readonly frameIds = new Int32Array(MAX_CALL_FRAMES);
  /** Return slot and r6..r9 (lo, hi pairs) saved by the call that entered each depth. */
  readonly savedPc = new Int32Array(MAX_CALL_FRAMES);
  readonly saved = new Int32Array(MAX_CALL_FRAMES * 8);
  /** may_goto's remaining iterations per frame (the kernel keeps it in a hidden stack slot). */
  readonly mayGoto = new Int32Array(MAX_CALL_FRAMES);
  readonly envs: CallEnv[] = [];
  count = 0;
  limit = 0;
  /** Depth of the frame whose native call is running (-1: none), so a nested BpfVm.call can stack above it. */
  nativeDepth = -1;
  runner!: Runner;
  /**
   * Free ctx[] regions by argument count. Calls nest (a native may call
   * callWithCtx), so acquire/release pair up LIFO and popping the last one
   * released hands out the same region the first-free scan of a pool would.
   */
  private readonly ctxFree: (Region[] | undefined)[] = [];
  /** One ExecState per callback depth: runs at one depth never overlap (they share its stack frame). */
  private readonly cbStates: ExecState[] = [];
  /** Set by fnProgram: the slot the function pointer names. */
  private fnTarget = 0;

  constructor(readonly space: AddressSpace, readonly natives: NativeTable, readonly resolver: MapRefResolver | undefined, readonly budget: number) {
    this.regions = space.regions;
    for (let d = 0; d < MAX_CALL_FRAMES; d++) {
      this.frameIds[d] = space.alloc('stack', `stack frame ${d}`, STACK_FRAME_SIZE).id;
      this.envs.push(new CallEnv(this, d));
      this.cbStates.push(newState(d));
    }
  }

  /** Resolve ld_imm64 constants and make the program's 'func' region. */
  prepare(image: ProgramImage, code: DecodedProgram): CompiledProgram {
    const kLo = new Int32Array(code.slots), kHi = new Int32Array(code.slots);
    const funcRegion = this.space.alloc('func', `functions of ${image.name}`, code.slots, { readonly: true });
    const prog: CompiledProgram = { image, code, kLo, kHi, funcRegion };
    funcRegion.payload = prog;
    for (let i = 0; i < code.slots; i++) {
      if (code.op[i] !== LDDW || code.starts[i] === 0) continue;
      const v = this.ldImm64(prog, i);
      kLo[i] = fromBig(v);
      kHi[i] = OUT.hi;
    }
    return prog;
  }

  private ldImm64(prog: CompiledProgram, i: number): bigint {
    const c = prog.code;
    const imm = c.imm[i]!, imm2 = c.imm2[i]!;
    const src = c.src[i]!;
    const where = { program: prog.image.name, insn: i };
    const needResolver = (): MapRefResolver => {
      if (this.resolver === undefined) {
        throw new BpfFault('bad_insn', `ld_imm64 references map #${imm} but the VM was created without a map resolver`, where);
      }
      return this.resolver;
    };
    switch (src) {
      case PSEUDO.MAP_FD:
      case PSEUDO.MAP_IDX:
        return needResolver().mapPointer(imm);
      case PSEUDO.MAP_VALUE:
      case PSEUDO.MAP_IDX_VALUE:
        return needResolver().mapValuePointer(imm, imm2);
      case PSEUDO.FUNC:
        return this.space.pointer(prog.funcRegion, i + imm + 1);
      case PSEUDO.BTF_ID:
        if (this.resolver?.ksymPointer !== undefined) return this.resolver.ksymPointer(imm);
        return (BigInt(imm2 >>> 0) << 32n) | BigInt(imm >>> 0);
      default:
        // Plain constants, and BTF ids (src 3), which the loader has already
        // turned into the value the kernel would load.
        return (BigInt(imm2 >>> 0) << 32n) | BigInt(imm >>> 0);
    }
  }

  /** Fill in program, instruction and source line on a fault that has none yet. */
  locate(e: unknown, prog: CompiledProgram, insn: number): unknown {
    if (!(e instanceof BpfFault) || e.site.insn !== undefined) return e;
    const li = lineAt(prog.image, insn);
    e.locate({ program: prog.image.name, insn, file: li?.file, line: li?.line, column: li?.column, sourceText: li?.text });
    return e;
  }

  /** Enter a frame: its r10 and a fresh may_goto allowance. */
  enterFrame(st: ExecState, depth: number): void {
    st.lo[10] = LO_BASE + STACK_FRAME_SIZE;
    st.hi[10] = this.frameIds[depth]!;
    this.mayGoto[depth] = MAY_GOTO_LIMIT;
  }

  /** A u64 ctx[] region for callWithCtx; reused, so the simulator's millions of calls allocate nothing. */
  acquireCtx(n: number): Region {
    const free = this.ctxFree[n];
    if (free !== undefined && free.length > 0) return free.pop()!;
    return this.space.alloc('ctx', `ctx (${n} args)`, n * 8);
  }

  releaseCtx(region: Region): void {
    const n = region.size / 8;
    const free = this.ctxFree[n];
    if (free === undefined) this.ctxFree[n] = [region];
    else free.push(region);
  }

  /**
   * Where callx (call through a register) goes: a slot of this program when the
   * value is one of its function pointers, -1 when it is a small scalar (a
   * helper id, as uBPF and the conformance suite's callx test use it).
   */
  callxTarget(prog: CompiledProgram, lo: number, hi: number): number {
    if (hi === 0) return -1;
    const region = this.regions[hi >>> 0];
    const target = (lo >>> 0) - LO_BASE;
    if (region === undefined || region.payload !== prog || target < 0 || target >= prog.code.slots || prog.code.starts[target] === 0) {
      throw new BpfFault('bad_call', `callx through 0x${toBig(lo, hi).toString(16)}, which is not a function of ${prog.image.name}`);
    }
    return target;
  }

  badPc(prog: CompiledProgram, pc: number): BpfFault {
    return new BpfFault('bad_insn', pc >= prog.code.slots
      ? `execution ran past the last instruction (${prog.code.slots - 1}); every path must end in exit`
      : `no instruction at slot ${pc}`);
  }

  callDepthFault(): BpfFault {
    return new BpfFault('call_depth', `call nests deeper than ${MAX_CALL_FRAMES} frames (the kernel's MAX_CALL_FRAMES)`);
  }

  budgetFault(): BpfFault {
    return new BpfFault('budget', `instruction budget of ${this.limit.toLocaleString('en-US')} exhausted; the program may loop forever (raise VmOptions.budget if it is legitimately long)`);
  }

  /**
   * Call helper (src 0) or kfunc (src 2) `id` from instruction `insn` at
   * `depth`; the engine has put r1..r5 in envs[depth].lo/hi. Returns r0's low
   * half, OUT.hi its high half.
   */
  callNative(prog: CompiledProgram, depth: number, insn: number, src: number, id: number): number {
    if (src === CALL_SRC.HELPER && id === POISON_HELPER_ID) {
      const why = prog.image.poisoned.get(insn) ?? 'the loader poisoned this instruction';
      throw new BpfFault('poisoned', `executed a poisoned instruction: ${why}`);
    }
    const def: NativeDef | undefined = src === CALL_SRC.KFUNC ? this.natives.kfunc(id) : this.natives.helper(id);
    if (def === undefined) {
      throw new BpfFault('bad_call', `call to unknown ${src === CALL_SRC.KFUNC ? 'kfunc' : 'helper'} id ${id}; register it in the NativeTable`);
    }
    const env = this.envs[depth]!;
    env.program = prog.image.name;
    env.insn = insn;
    env.prog = prog;
    let r: bigint | number | boolean | void;
    const outer = this.nativeDepth;
    this.nativeDepth = depth;
    try {
      r = def.fn(env);
    } catch (e) {
      if (e instanceof BpfFault) throw e;
      throw new BpfFault('native', `${def.name} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.nativeDepth = outer;
    }
    if (typeof r === 'bigint') return fromBig(r);
    if (typeof r === 'number') return fromNumber(r);
    OUT.hi = 0;
    return r === true ? 1 : 0;
  }

  /** The program and slot a BPF_PSEUDO_FUNC pointer names. */
  functionAt(fn: bigint): { prog: CompiledProgram; target: number } {
    const prog = this.fnProgram(fn);
    return { prog, target: this.fnTarget };
  }

  /** functionAt without the result object: returns the program, leaves the slot in fnTarget. */
  private fnProgram(fn: bigint): CompiledProgram {
    const lo = fromBig(fn);
    const hi = OUT.hi;
    const region = this.regions[hi >>> 0];
    if (region === undefined || region.kind !== 'func' || region.freed) {
      throw new BpfFault('bad_call', `callback pointer 0x${BigInt.asUintN(64, fn).toString(16)} does not point at a BPF function`);
    }
    const prog = region.payload as CompiledProgram;
    const target = (lo >>> 0) - LO_BASE;
    if (target < 0 || target >= prog.code.slots || prog.code.starts[target] === 0) {
      throw new BpfFault('bad_call', `callback pointer 0x${fn.toString(16)} is not an instruction of ${prog.image.name}`);
    }
    this.fnTarget = target;
    return prog;
  }

  /** NativeEnv.callback: run the function `fn` points at, in a new frame at `depth`. */
  runCallback(depth: number, fn: bigint, args: readonly bigint[]): bigint {
    const prog = this.fnProgram(fn);
    const target = this.fnTarget;
    if (depth >= MAX_CALL_FRAMES) throw this.callDepthFault();
    const st = this.cbStates[depth]!;
    const lo = st.lo, hi = st.hi;
    for (let i = 0; i < 11; i++) { // cheaper than two fill() builtin calls for 11 slots
      lo[i] = 0;
      hi[i] = 0;
    }
    const n = args.length < 5 ? args.length : 5;
    for (let i = 0; i < n; i++) {
      lo[i + 1] = fromBig(args[i]!);
      hi[i + 1] = OUT.hi;
    }
    st.depth = depth;
    st.done = false;
    this.enterFrame(st, depth);
    st.pc = target;
    this.runner(this, prog, st);
    return toBig(lo[0]!, hi[0]!);
  }
}

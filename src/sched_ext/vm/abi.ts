// The contract between the loader (which produces program images), the VM
// (which runs them) and the natives (helpers and kfuncs implemented in
// TypeScript by src/sched_ext/runtime and by the simulated kernel).

import type { AddressSpace } from './memory';

/** One source location from BTF.ext line_info, keyed by instruction index. */
export interface LineInfo {
  /** Instruction index (8-byte slots) inside the linked program image. */
  insn: number;
  file: string;
  line: number;
  column: number;
  /** The source line text clang embeds in .BTF.ext (may be empty). */
  text: string;
}

export interface FuncInfo {
  insn: number;
  name: string;
}

/**
 * A linked program as libbpf would hand it to the kernel: the entry function
 * first, then a private copy of every subprogram it reaches.
 *
 * ld_imm64 pseudo sources keep the kernel's meaning:
 *  - src 0: plain 64-bit constant
 *  - src 1 (BPF_PSEUDO_MAP_FD): imm = index into the object's maps
 *  - src 2 (BPF_PSEUDO_MAP_VALUE): imm = map index, second imm = byte offset in the value
 *  - src 4 (BPF_PSEUDO_FUNC): imm = relative insn offset of a callback (target = pc + imm + 1)
 * Calls: src 0 helper id, src 1 relative bpf-to-bpf, src 2 kfunc id from the
 * KfuncRegistry.
 */
export interface ProgramImage {
  name: string;
  section: string;
  /** Raw little-endian 8-byte instructions. */
  insns: Uint8Array;
  /** Sorted by insn. */
  lineInfo: LineInfo[];
  funcInfo: FuncInfo[];
  /**
   * Instructions libbpf poisons (failed CO-RE relocation, unresolved weak
   * kfunc call): the loader replaces them with `call POISON_HELPER_ID` and
   * records why here. Executing one is a 'poisoned' fault with this reason.
   */
  poisoned: Map<number, string>;
  sleepable: boolean;
}

/** libbpf's marker for a poisoned instruction (an invalid helper call, 0xbad2310). */
export const POISON_HELPER_ID = 0xbad2310;

/** What a native sees of the call it serves. Arguments are r1..r5. */
export interface NativeEnv {
  readonly space: AddressSpace;
  /** r1..r5 as unsigned 64-bit values. */
  arg(i: 1 | 2 | 3 | 4 | 5): bigint;
  /** Low 32 bits, unsigned. */
  argU32(i: 1 | 2 | 3 | 4 | 5): number;
  /** Low 32 bits, signed. */
  argS32(i: 1 | 2 | 3 | 4 | 5): number;
  /** The name of the program whose instruction made this call. */
  readonly program: string;
  /** The instruction index of the call. */
  readonly insn: number;
  /** Source location of the call, if the object has line_info. */
  sourceLine(): LineInfo | undefined;
  /** The program being run (its line_info names the source line of any of its instructions). */
  readonly image?: ProgramImage;
  /**
   * Call a BPF function by its pointer value (what BPF_PSEUDO_FUNC yields):
   * rbtree `less`, bpf_loop bodies, timer callbacks, iterator bodies.
   */
  callback(fn: bigint, args: readonly bigint[]): bigint;
}

/**
 * A helper or kfunc. The return value goes to r0: a bigint is taken modulo
 * 2^64, a number is a signed integer (so `return -22` is -EINVAL), a boolean is
 * 0/1, undefined is 0.
 */
export type NativeFn = (env: NativeEnv) => bigint | number | boolean | void;

export interface NativeDef {
  name: string;
  fn: NativeFn;
}

export interface NativeTable {
  helper(id: number): NativeDef | undefined;
  kfunc(id: number): NativeDef | undefined;
}

/** How ld_imm64 map references become pointers: supplied by whoever created the maps. */
export interface MapRefResolver {
  mapPointer(mapIndex: number): bigint;
  mapValuePointer(mapIndex: number, offset: number): bigint;
  /** ld_imm64 src 3 (BPF_PSEUDO_BTF_ID) of a typed kernel symbol: its address; without it src 3 is a plain constant. */
  ksymPointer?(index: number): bigint;
}

export type EngineKind = 'jit' | 'interp';

export interface VmOptions {
  engine?: EngineKind;
  /** Instructions one top-level call may execute (callbacks included). Default 1,000,000. */
  budget?: number;
  natives: NativeTable;
  resolver?: MapRefResolver;
  space?: AddressSpace;
  /**
   * JIT tuning: the largest compile weight of one generated function (memory
   * instructions weigh 3, others 1). Default 160; tests use small values to
   * exercise control passing between functions.
   */
  jitChunkWeight?: number;
}

export interface LoadedProgram {
  readonly image: ProgramImage;
}

export interface BpfVm {
  readonly space: AddressSpace;
  readonly engine: EngineKind;
  /** Decode (and for the JIT, compile) once. Throws a BpfFault('bad_insn') naming the instruction. */
  load(image: ProgramImage): LoadedProgram;
  /** Run with r1..r5 set from `regs`; returns r0. Faults throw BpfFault with the site filled in. */
  call(prog: LoadedProgram, regs: readonly bigint[]): bigint;
  /**
   * Run a struct_ops/tracing-style program: `args` are written to a u64 ctx[]
   * region and r1 points at it, as BPF_PROG() expects.
   */
  callWithCtx(prog: LoadedProgram, args: readonly bigint[]): bigint;
  /**
   * callWithCtx without BigInt: ctx[i] = hi[i] << 32 | lo[i] for i < n (each
   * half taken modulo 2^32). Returns r0's low 32 bits as a signed int32 (what
   * an `int`-returning op returns); `r0Hi` then holds the high 32 bits. Same
   * faults, budget and lastInsnCount as callWithCtx.
   */
  callWithCtxHalves(prog: LoadedProgram, n: number, lo: ArrayLike<number>, hi: ArrayLike<number>): number;
  /** High 32 bits (signed int32) of r0 after the last callWithCtxHalves. */
  readonly r0Hi: number;
  /**
   * Run, as a top-level call, the BPF function a BPF_PSEUDO_FUNC pointer names
   * (a timer or async callback firing outside any program run); r1..r5 = args.
   */
  callFunction(fn: bigint, args: readonly bigint[]): bigint;
  /** Instructions executed by the last top-level call (lddw counts once). */
  readonly lastInsnCount: number;
}

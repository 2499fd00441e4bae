// BpfVm: load (decode, resolve, compile) and call programs in either engine.

import type { BpfVm, EngineKind, LoadedProgram, ProgramImage, VmOptions } from './abi';
import { decode } from './decode';
import { fromBig, OUT, toBig } from './int64';
import { runInterpreted, Stepper } from './interp';
import { compileJit, runJit } from './jit/compile';
import { newState, VmCore, type CompiledProgram, type ExecState } from './machine';
import { AddressSpace, LO_BASE } from './memory';
import { DEFAULT_BUDGET, MAX_CALL_FRAMES } from './opcodes';

class Vm implements BpfVm {
  readonly space: AddressSpace;
  readonly engine: EngineKind;
  readonly core: VmCore;
  lastInsnCount = 0;
  /** High half of r0 after callWithCtxHalves. */
  r0Hi = 0;
  /** r1..r5 of the next run, staged as halves. */
  private readonly argLo = new Int32Array(5);
  private readonly argHi = new Int32Array(5);
  private readonly top: ExecState = newState(0);
  private running = false;
  private readonly chunkWeight: number | undefined;

  constructor(opts: VmOptions) {
    this.space = opts.space ?? new AddressSpace();
    this.engine = opts.engine ?? 'jit';
    this.chunkWeight = opts.jitChunkWeight;
    this.core = new VmCore(this.space, opts.natives, opts.resolver, opts.budget ?? DEFAULT_BUDGET);
    this.core.runner = this.engine === 'jit' ? runJit : runInterpreted;
  }

  load(image: ProgramImage): LoadedProgram {
    const prog = this.core.prepare(image, decode(image));
    if (this.engine === 'jit') compileJit(prog, this.core, this.chunkWeight);
    return prog;
  }

  call(prog: LoadedProgram, regs: readonly bigint[]): bigint {
    return this.run(prog as CompiledProgram, regs, 0);
  }

  callFunction(fn: bigint, args: readonly bigint[]): bigint {
    const { prog, target } = this.core.functionAt(fn);
    return this.run(prog, args, target);
  }

  private run(prog: CompiledProgram, regs: readonly bigint[], pc: number): bigint {
    const n = regs.length < 5 ? regs.length : 5;
    for (let i = 0; i < n; i++) {
      this.argLo[i] = fromBig(regs[i]!);
      this.argHi[i] = OUT.hi;
    }
    const lo = this.runStaged(prog, n, pc);
    return toBig(lo, this.r0Hi);
  }

  /**
   * Run with r1..r{n} taken from argLo/argHi (copied into the run's registers
   * before anything else runs, so a nested call may stage its own). Returns
   * r0's low half; r0Hi is its high half.
   */
  private runStaged(prog: LoadedProgram, n: number, pc: number): number {
    if (this.running) return this.nested(prog, n, pc);
    const p = this.checked(prog);
    this.running = true;
    const st = this.top;
    const lo = st.lo, hi = st.hi;
    for (let i = 0; i < 11; i++) { // a loop: TypedArray fill() is a builtin call, slower for 11 slots
      lo[i] = 0;
      hi[i] = 0;
    }
    for (let i = 0; i < n; i++) {
      lo[i + 1] = this.argLo[i]!;
      hi[i + 1] = this.argHi[i]!;
    }
    st.pc = pc;
    st.depth = 0;
    st.done = false;
    const core = this.core;
    core.enterFrame(st, 0);
    core.count = 0;
    core.limit = core.budget;
    try {
      core.runner(core, p, st);
      this.r0Hi = hi[0]!;
      return lo[0]!;
    } finally {
      this.lastInsnCount = core.count;
      this.running = false;
    }
  }

  callWithCtx(prog: LoadedProgram, args: readonly bigint[]): bigint {
    const n = args.length;
    const ctx = this.core.acquireCtx(n > 0 ? n : 1);
    try {
      const view = ctx.view;
      for (let i = 0; i < n; i++) view.setBigUint64(i * 8, args[i]!, true); // wraps modulo 2^64 like the kernel's u64 ctx[]
      this.argLo[0] = LO_BASE;
      this.argHi[0] = ctx.id;
      const lo = this.runStaged(prog, 1, 0);
      return toBig(lo, this.r0Hi);
    } finally {
      this.core.releaseCtx(ctx);
    }
  }

  callWithCtxHalves(prog: LoadedProgram, n: number, lo: ArrayLike<number>, hi: ArrayLike<number>): number {
    const ctx = this.core.acquireCtx(n > 0 ? n : 1);
    try {
      const view = ctx.view;
      for (let i = 0; i < n; i++) {
        view.setInt32(i * 8, lo[i]!, true);
        view.setInt32(i * 8 + 4, hi[i]!, true);
      }
      this.argLo[0] = LO_BASE;
      this.argHi[0] = ctx.id;
      return this.runStaged(prog, 1, 0);
    } finally {
      this.core.releaseCtx(ctx);
    }
  }

  /**
   * Prepare a run the debugger steps through one instruction at a time
   * (always interpreted). It gets its own stack frames, saved registers and
   * budget in the same address space, so the VM can keep serving calls while
   * the debugger holds the run paused.
   */
  stepper(prog: LoadedProgram, regs: readonly bigint[]): Stepper {
    const p = this.checked(prog);
    const core = new VmCore(this.space, this.core.natives, this.core.resolver, this.core.budget);
    core.runner = runInterpreted;
    core.limit = core.budget;
    const st = newState(0);
    for (let i = 0; i < 5 && i < regs.length; i++) {
      st.lo[i + 1] = fromBig(regs[i]!);
      st.hi[i + 1] = OUT.hi;
    }
    core.enterFrame(st, 0);
    return new Stepper(core, p, st);
  }

  /**
   * callWithCtx for the debugger: the same entry (this VM's stack frames and
   * ctx[] pool, so every region id and pointer value is the one an undebugged
   * call would see), but paused before the first instruction and run by the
   * stepping interpreter. end() must follow once the stepper is done (or
   * abandoned): it releases ctx[], sets lastInsnCount and frees the VM for the
   * next top-level call. The JIT path is untouched.
   */
  debugCallWithCtx(prog: LoadedProgram, args: readonly bigint[]): { stepper: Stepper; end(): number } {
    if (this.running) throw new TypeError('BpfVm.debugCallWithCtx: a program is already running');
    const p = this.checked(prog);
    const n = args.length;
    const ctx = this.core.acquireCtx(n > 0 ? n : 1);
    for (let i = 0; i < n; i++) ctx.view.setBigUint64(i * 8, BigInt.asUintN(64, args[i]!), true);
    const st = newState(0);
    st.lo[1] = LO_BASE;
    st.hi[1] = ctx.id;
    const core = this.core;
    core.enterFrame(st, 0);
    core.count = 0;
    core.limit = core.budget;
    this.running = true;
    let ended = false;
    return {
      stepper: new Stepper(core, p, st),
      end: () => {
        if (!ended) {
          ended = true;
          this.lastInsnCount = core.count;
          this.r0Hi = st.hi[0]!;
          this.running = false;
          core.releaseCtx(ctx);
        }
        return this.lastInsnCount;
      },
    };
  }

  /**
   * A call made by a native while a program runs (a timer or another op the
   * host fires from inside a kfunc): it stacks its frame above the native's,
   * like NativeEnv.callback, and shares the running call's budget.
   */
  private nested(prog: LoadedProgram, n: number, pc: number): number {
    const depth = this.core.nativeDepth + 1;
    if (this.core.nativeDepth < 0 || depth >= MAX_CALL_FRAMES) throw this.core.callDepthFault();
    const st = newState(depth);
    for (let i = 0; i < n; i++) {
      st.lo[i + 1] = this.argLo[i]!;
      st.hi[i + 1] = this.argHi[i]!;
    }
    this.core.enterFrame(st, depth);
    st.pc = pc;
    this.core.runner(this.core, this.checked(prog), st);
    this.r0Hi = st.hi[0]!;
    return st.lo[0]!;
  }

  private checked(prog: LoadedProgram): CompiledProgram {
    const p = prog as CompiledProgram;
    if (p.code === undefined || p.funcRegion === undefined) throw new TypeError('BpfVm.call: program was not loaded by this VM');
    return p;
  }
}

/** What the debugger needs of a VM beyond BpfVm. */
export interface DebuggableVm {
  stepper(prog: LoadedProgram, regs: readonly bigint[]): Stepper;
  debugCallWithCtx(prog: LoadedProgram, args: readonly bigint[]): { stepper: Stepper; end(): number };
}

export function createVm(opts: VmOptions): BpfVm & DebuggableVm {
  return new Vm(opts);
}

// BpfVm: load (decode, resolve, compile) and call programs in either engine.

import type { BpfVm, EngineKind, LoadedProgram, ProgramImage, VmOptions } from './abi';
import { decode } from './decode';
import { fromBig, OUT, toBig } from './int64';
import { runInterpreted, Stepper } from './interp';
import { compileJit, runJit } from './jit/compile';
import { newState, VmCore, type CompiledProgram, type ExecState } from './machine';
import { AddressSpace } from './memory';
import { DEFAULT_BUDGET, MAX_CALL_FRAMES } from './opcodes';

class Vm implements BpfVm {
  readonly space: AddressSpace;
  readonly engine: EngineKind;
  readonly core: VmCore;
  lastInsnCount = 0;
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
    if (this.running) return this.nested(prog, regs, pc);
    const p = this.begin(prog, regs, pc);
    try {
      this.core.runner(this.core, p, this.top);
      return toBig(this.top.lo[0]!, this.top.hi[0]!);
    } finally {
      this.lastInsnCount = this.core.count;
      this.running = false;
    }
  }

  callWithCtx(prog: LoadedProgram, args: readonly bigint[]): bigint {
    const ctx = this.core.acquireCtx(Math.max(1, args.length));
    try {
      for (let i = 0; i < args.length; i++) ctx.view.setBigUint64(i * 8, args[i]!, true); // wraps modulo 2^64 like the kernel's u64 ctx[]
      return this.call(prog, [this.space.pointer(ctx, 0)]);
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
   * A call made by a native while a program runs (a timer or another op the
   * host fires from inside a kfunc): it stacks its frame above the native's,
   * like NativeEnv.callback, and shares the running call's budget.
   */
  private nested(prog: CompiledProgram, regs: readonly bigint[], pc: number): bigint {
    const depth = this.core.nativeDepth + 1;
    if (this.core.nativeDepth < 0 || depth >= MAX_CALL_FRAMES) throw this.core.callDepthFault();
    const st = newState(depth);
    for (let i = 0; i < 5 && i < regs.length; i++) {
      st.lo[i + 1] = fromBig(regs[i]!);
      st.hi[i + 1] = OUT.hi;
    }
    this.core.enterFrame(st, depth);
    st.pc = pc;
    this.core.runner(this.core, this.checked(prog), st);
    return toBig(st.lo[0]!, st.hi[0]!);
  }

  private checked(prog: LoadedProgram): CompiledProgram {
    const p = prog as CompiledProgram;
    if (p.code === undefined || p.funcRegion === undefined) throw new TypeError('BpfVm.call: program was not loaded by this VM');
    return p;
  }

  private begin(prog: LoadedProgram, regs: readonly bigint[], pc = 0): CompiledProgram {
    const p = this.checked(prog);
    this.running = true;
    const st = this.top;
    st.lo.fill(0);
    st.hi.fill(0);
    for (let i = 0; i < 5 && i < regs.length; i++) {
      st.lo[i + 1] = fromBig(regs[i]!);
      st.hi[i + 1] = OUT.hi;
    }
    st.pc = pc;
    st.depth = 0;
    st.done = false;
    this.core.enterFrame(st, 0);
    this.core.count = 0;
    this.core.limit = this.core.budget;
    return p;
  }
}

export function createVm(opts: VmOptions): BpfVm & { stepper(prog: LoadedProgram, regs: readonly bigint[]): Stepper } {
  return new Vm(opts);
}

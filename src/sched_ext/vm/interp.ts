// The stepping interpreter: executes one decoded instruction at a time over
// the same state the JIT uses, so the debugger can stop anywhere and the JIT
// can hand a run over to it (e.g. to fault on the exact instruction where the
// budget ran out).

import type { LineInfo } from './abi';
import { toBig } from './int64';
import { interpreterSource } from './interp_source';
import { lineAt, type CompiledProgram, type ExecState, type VmCore } from './machine';
import { buildWithScope } from './scope';
import { STACK_FRAME_SIZE } from './opcodes';

type InterpretFn = (core: VmCore, prog: CompiledProgram, st: ExecState, maxSteps: number) => void;

let built: InterpretFn | undefined;

/** Run `st` for at most `maxSteps` instructions (Infinity: until the base frame exits). */
export function interpret(core: VmCore, prog: CompiledProgram, st: ExecState, maxSteps = Infinity): void {
  built ??= buildWithScope<InterpretFn>(interpreterSource());
  built(core, prog, st, maxSteps);
}

/** Runner for VmCore: the whole run in the interpreter. */
export function runInterpreted(core: VmCore, prog: CompiledProgram, st: ExecState): void {
  interpret(core, prog, st, Infinity);
}

/**
 * A paused run the debugger drives one instruction at a time. Native calls
 * (and any callbacks they make) complete within one step.
 */
export class Stepper {
  constructor(private readonly core: VmCore, readonly program: CompiledProgram, private readonly st: ExecState) {}

  get pc(): number {
    return this.st.pc;
  }

  get done(): boolean {
    return this.st.done;
  }

  /** Call depth: 0 in the entry function, 1 inside a bpf-to-bpf call, ... */
  get depth(): number {
    return this.st.depth;
  }

  /** r0..r10 as unsigned 64-bit values. */
  get regs(): bigint[] {
    const out: bigint[] = [];
    for (let i = 0; i <= 10; i++) out.push(toBig(this.st.lo[i]!, this.st.hi[i]!));
    return out;
  }

  /** r0 once done. */
  get result(): bigint {
    return toBig(this.st.lo[0]!, this.st.hi[0]!);
  }

  /** Instructions executed so far in this run. */
  get insnCount(): number {
    return this.core.count;
  }

  /** The source line of the instruction about to execute. */
  get line(): LineInfo | undefined {
    return lineAt(this.program.image, this.st.pc);
  }

  /** A copy of the 512-byte stack of frame `depth` (default: the current frame). r10 points at its end. */
  stack(depth = this.st.depth): Uint8Array {
    const region = this.core.regions[this.core.frameIds[depth]!]!;
    return region.bytes.slice(0, STACK_FRAME_SIZE);
  }

  /**
   * The call stack, innermost last: for each frame its depth and the slot it
   * is at (the call instruction for callers, the next instruction for the
   * innermost frame).
   */
  callStack(): { depth: number; pc: number; line: LineInfo | undefined }[] {
    const base = this.st.baseDepth;
    const frames: { depth: number; pc: number; line: LineInfo | undefined }[] = [];
    for (let d = base; d < this.st.depth; d++) {
      const pc = this.core.savedPc[d]! - 1;
      frames.push({ depth: d, pc, line: lineAt(this.program.image, pc) });
    }
    frames.push({ depth: this.st.depth, pc: this.st.pc, line: this.line });
    return frames;
  }

  /** Step until `stop` holds before an instruction, the program exits, or `maxSteps` pass; returns whether it is still running. */
  runUntil(stop: (s: Stepper) => boolean, maxSteps = Infinity): boolean {
    for (let n = 0; n < maxSteps && this.step(); n++) if (stop(this)) return true;
    return !this.st.done;
  }

  /** Step over a bpf-to-bpf call (run until control is back in this frame), or one instruction. */
  stepOver(): boolean {
    const depth = this.st.depth;
    if (!this.step()) return false;
    return this.st.depth > depth ? this.runUntil((s) => s.depth <= depth) : true;
  }

  /** Run until the current function returns to its caller (or the program exits). */
  stepOut(): boolean {
    const depth = this.st.depth;
    return this.runUntil((s) => s.depth < depth);
  }

  /** Execute one instruction; returns false once the program has exited. Faults throw BpfFault. */
  step(): boolean {
    if (this.st.done) return false;
    interpret(this.core, this.program, this.st, 1);
    return !this.st.done;
  }

  /** Run until exit (or a fault); returns r0. */
  run(): bigint {
    if (!this.st.done) interpret(this.core, this.program, this.st, Infinity);
    return this.result;
  }
}

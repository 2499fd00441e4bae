// The stepping interpreter: executes one decoded instruction at a time over
// the same state the JIT uses, so the debugger can stop anywhere and the JIT
// can hand a run over to it (e.g. to fault on the exact instruction where the
// budget ran out).

import type { LineInfo } from './abi';
import { toBig } from './int64';
import { interpreterSource } from './interp-source';
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

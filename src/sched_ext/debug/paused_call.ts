// One program call held paused by the debugger: its registers (hex, decimal,
// decoded as pointers), bpf-to-bpf call stack with function names, the op's
// typed arguments, disassembly around the current instruction, and
// expression evaluation in its scope.

import type { Stepper } from '../vm/interp';
import type { LineInfo, ProgramImage } from '../vm/abi';
import type { AddressSpace } from '../vm/memory';
import { lineAt } from '../vm/machine';
import { disassembleInsn, type DisasmNames } from '../vm/disasm';
import type { DecodedProgram } from '../vm/decode';
import type { Btf } from '../btf/btf';
import { evaluate, type EvalEnv, type Value } from './expr_eval';
import { describePointer, formatValue, renderMemory, type MemNode, type PointerInfo } from './memory_view';
import { U64, typeName, type VType } from './value_type';

export interface TypedArg {
  name: string;
  type: VType;
  value: bigint;
}

export interface RegView {
  name: string;
  hex: string;
  dec: string;
  pointer?: PointerInfo;
}

export interface FrameView {
  depth: number;
  pc: number;
  func: string;
  file?: string;
  line?: number;
  text?: string;
}

export interface DisasmLine {
  pc: number;
  text: string;
  current: boolean;
  line?: number;
}

export class PausedCall {
  constructor(
    readonly stepper: Stepper,
    readonly program: string,
    readonly image: ProgramImage,
    readonly space: AddressSpace,
    /** Program BTF first, then kernel BTF. */
    readonly btfs: readonly Btf[],
    readonly args: readonly TypedArg[],
    /** What the user called this entry (an op name) — shown in the call stack's outer frame. */
    readonly label: string,
    /** Globals and other names beyond registers and arguments. */
    private readonly extraLookup?: (name: string) => Value | undefined,
    /** Which entry-program call of the run this is (0-based, deterministic), for re-running to it. */
    readonly callIndex = 0,
  ) {
    this.log();
  }

  /** Instruction boundaries passed so far in this call: pc, depth and stepper.insnCount before each instruction. */
  private readonly histPc: number[] = [];
  private readonly histDepth: number[] = [];
  private readonly histCount: number[] = [];

  /** Record the boundary the stepper is at (the debugger calls this after every step). */
  log(): void {
    if (this.stepper.done) return;
    this.histPc.push(this.stepper.pc);
    this.histDepth.push(this.stepper.depth);
    this.histCount.push(this.stepper.insnCount);
  }

  /** Where this stop is, as (call, instruction position): re-running to it reproduces this exact state. */
  get position(): { call: number; count: number } {
    return { call: this.callIndex, count: this.stepper.insnCount };
  }

  /**
   * The position one instruction back (`stepi`) or at the start of the
   * previous source line (`step`), inside this call; undefined at its first
   * instruction. Reverse execution re-runs to it.
   */
  reversePosition(mode: 'stepi' | 'step'): { call: number; count: number } | undefined {
    const n = this.stepper.done ? this.histCount.length : this.histCount.length - 1; // index of the current boundary
    if (n <= 0) return undefined;
    if (mode === 'stepi') return { call: this.callIndex, count: this.histCount[n - 1]! };
    const key = (i: number) => {
      const li = this.lineOf(this.histPc[i]!);
      return `${this.histDepth[i]}:${li?.file}:${li?.line}`;
    };
    // back over the rest of the current line, then to the first boundary of the line before it
    let i = n - 1;
    const cur = this.stepper.done ? undefined : key(n);
    while (i > 0 && cur !== undefined && key(i) === cur) i--;
    const prev = key(i);
    while (i > 0 && key(i - 1) === prev) i--;
    return { call: this.callIndex, count: this.histCount[i]! };
  }

  get pc(): number {
    return this.stepper.pc;
  }

  get done(): boolean {
    return this.stepper.done;
  }

  /** The line of instruction `pc` (default: the one about to execute). */
  lineOf(pc = this.stepper.pc): LineInfo | undefined {
    return lineAt(this.image, pc);
  }

  funcAt(pc: number): string {
    let name = this.image.funcInfo[0]?.name ?? this.program;
    for (const f of this.image.funcInfo) if (f.insn <= pc) name = f.name;
    return name;
  }

  regs(): RegView[] {
    return this.stepper.regs.map((v, i) => {
      const p = describePointer(this.space, v);
      return { name: `r${i}`, hex: `0x${v.toString(16)}`, dec: BigInt.asIntN(64, v).toString(), ...(p ? { pointer: p } : {}) };
    });
  }

  /** Innermost frame last, as the stepper reports it. */
  frames(): FrameView[] {
    return this.stepper.callStack().map((f) => {
      const li = f.line;
      return { depth: f.depth, pc: f.pc, func: this.funcAt(f.pc), ...(li ? { file: li.file, line: li.line, text: li.text } : {}) };
    });
  }

  /** The op's arguments as values with their types. */
  typedArgs(): { name: string; type: string; value: string; pointer?: PointerInfo }[] {
    return this.args.map((a) => {
      const p = a.type.k === 'ptr' ? describePointer(this.space, a.value) : undefined;
      return { name: a.name, type: typeName(a.type), value: formatValue(this.space, { v: a.value, t: a.type }), ...(p ? { pointer: p } : {}) };
    });
  }

  disassembly(before = 6, after = 10, names: DisasmNames = {}): DisasmLine[] {
    const code = (this.stepper.program as { code: DecodedProgram }).code;
    const pc = this.stepper.done ? -1 : this.stepper.pc;
    const starts: number[] = [];
    for (let i = 0; i < code.slots; i++) if (code.starts[i] !== 0) starts.push(i);
    const at = Math.max(0, starts.findIndex((s) => s >= pc));
    const out: DisasmLine[] = [];
    for (const i of starts.slice(Math.max(0, at - before), at + after)) {
      const li = lineAt(this.image, i);
      out.push({ pc: i, text: disassembleInsn(code, i, names), current: i === pc, ...(li ? { line: li.line } : {}) });
    }
    return out;
  }

  env(): EvalEnv {
    const regs = this.stepper.regs;
    return {
      space: this.space,
      btfs: this.btfs,
      lookup: (name) => {
        const m = /^r(\d+)$/.exec(name);
        if (m && Number(m[1]) <= 10) return { v: regs[Number(m[1])]!, t: U64 };
        if (name === 'pc') return { v: BigInt(this.stepper.pc), t: U64 };
        const a = this.args.find((x) => x.name === name);
        if (a) return { v: a.value, t: a.type };
        return this.extraLookup?.(name);
      },
    };
  }

  eval(expr: string): Value {
    return evaluate(expr, this.env());
  }

  /** `print EXPR`: scalars as text; structs (and pointers to them, dereferenced) as a memory tree. */
  print(expr: string, depth = 2): { value: string; tree?: MemNode } {
    const v = this.eval(expr);
    if (v.t.k === 'agg') return { value: `(${typeName(v.t)})`, tree: renderMemory(this.space, v.t, v.addr ?? v.v, expr, { depth }) };
    if (v.t.k === 'ptr' && v.t.to.k === 'agg' && v.v !== 0n && describePointer(this.space, v.v) !== undefined) {
      return { value: formatValue(this.space, v), tree: renderMemory(this.space, v.t.to, v.v, `*${expr}`, { depth }) };
    }
    return { value: formatValue(this.space, v) };
  }

  /** The memory viewer: type `t` rendered at `addr`. */
  memory(t: VType, addr: bigint, name: string, depth = 4): MemNode {
    return renderMemory(this.space, t, addr, name, { depth });
  }
}

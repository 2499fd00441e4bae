// The debugger's engine: installed as BpfRuntime.interceptor, it decides per
// entry-program call whether the call must be stepped (a breakpoint inside,
// an entry breakpoint whose condition holds, a pending step, break on
// diagnostic/fault, a time-travel target); if not, the call runs on the
// normal (JIT) path untouched. A stepped call runs in the interpreter on the
// VM's own frames and ctx[] pool, so its effects are exactly those of an
// undebugged call. Stops are reported synchronously to the host's onStop,
// which inspects the paused call and answers how to resume: the caller (the
// simulator) is simply suspended on the stack, its clock frozen.

import type { LoadedProgram, ProgramImage } from '../vm/abi';
import type { DebuggableVm } from '../vm/vm';
import type { AddressSpace } from '../vm/memory';
import { BpfFault } from '../vm/fault';
import type { LineInfo } from '../vm/abi';
import type { Btf } from '../btf/btf';
import { Breakpoints, lineStarts, sameFile, type Breakpoint } from './breakpoints';
import { EvalError, evaluate, truthy, type Value } from './expr_eval';
import { PausedCall, type TypedArg } from './paused_call';

export type StopReason = 'breakpoint' | 'entry' | 'step' | 'fault' | 'diagnostic' | 'error_exit' | 'return';

export interface StopInfo {
  reason: StopReason;
  breakpoint?: Breakpoint;
  /** Fault / diagnostic / error exit text. */
  message?: string;
  fault?: BpfFault;
  /** The instruction the stop is about when it is not the next one (a diagnostic raised by the call just made). */
  at?: number;
  /** r0 when reason is 'return'. */
  ret?: bigint;
}

/**
 * How to go on: `stepi` one instruction; `step` to the next source line
 * (into bpf-to-bpf calls); `next` to the next line of this frame (over
 * calls); `finish` out of this frame (at depth 0: to the op's return);
 * `continue` to the next breakpoint.
 */
export type ResumeMode = 'continue' | 'stepi' | 'step' | 'next' | 'finish';

/**
 * Where re-execution stops in call number `call`: at instruction position
 * `count`, or where source line `file:line` is first entered (reported as
 * `stop`, e.g. the error exit a kfunc call on that line caused).
 */
export type ResumePoint = { call: number; count: number } | { call: number; file: string; line: number; stop: StopInfo };

export interface DebugHost {
  readonly vm: DebuggableVm;
  readonly space: AddressSpace;
  readonly btfs: readonly Btf[];
  readonly images: readonly ProgramImage[];
  /** The op a program is bound to ("enqueue"), for labels; undefined for other programs. */
  labelOf?(program: string): string | undefined;
  /** Typed arguments of an entry program's call (from the op's prototype). */
  argsOf?(program: string, args: readonly bigint[]): TypedArg[];
  /** Globals and other names for expressions. */
  lookup?(name: string): Value | undefined;
  /** Diagnostics recorded so far (runtime and kernel side), for break-on-diagnostic. */
  diagnosticCount?(): number;
  /** The pending error exit's message, once the scheduler is being ejected. */
  errorExit?(): string | undefined;
  /** Stop at this call's first instruction regardless of breakpoints (time travel). */
  entryStop?(program: string, args: readonly bigint[]): StopInfo | undefined;
  /** A stop: inspect `call`, answer how to resume. May throw to abandon the run. */
  onStop(call: PausedCall, stop: StopInfo): ResumeMode;
}

export interface DebugSettings {
  breakOnDiagnostic: boolean;
  breakOnErrorExit: boolean;
  breakOnFault: boolean;
}

function lineOfPc(call: PausedCall, pc: number): LineInfo | undefined {
  return call.lineOf(pc);
}

export class BpfDebugger {
  readonly breakpoints: Breakpoints;
  readonly settings: DebugSettings = { breakOnDiagnostic: false, breakOnErrorExit: false, breakOnFault: false };
  /** Set when a step ran off the end of a call: stop at the next call's entry. */
  private pendingStep = false;
  /** Calls the debugger has seen (intercepted or not), numbered from 0. */
  calls = 0;
  stops = 0;

  constructor(private readonly host: DebugHost) {
    this.breakpoints = new Breakpoints(host.images);
  }

  /** The function to install as BpfRuntime.interceptor. */
  readonly intercept = (name: string, prog: LoadedProgram, args: readonly bigint[]): bigint | undefined => {
    const index = this.calls++;
    const at = this.resumeAt;
    if (at !== undefined) {
      // re-executing up to a position: earlier calls run on the normal path (stepping changes nothing)
      if (index < at.call) return undefined;
      if (index === at.call) {
        this.resumeAt = undefined;
        return this.run(name, prog, args, index, undefined, at);
      }
    }
    const entry = this.host.entryStop?.(name, args);
    if (entry === undefined && !this.pendingStep && !this.watching()) {
      if (!this.breakpoints.inProgram(name)) return undefined;
      // only entry breakpoints whose conditions are false for these arguments: the call runs on the normal (JIT) path
      if (this.breakpoints.onlyAtEntry(name) && this.entryConditionsFalse(name, args)) return undefined;
    }
    return this.run(name, prog, args, index, entry, undefined);
  };

  /**
   * Whether every entry breakpoint of `program` has a condition that is false
   * over the call's arguments and globals alone (a condition naming a register
   * or failing to evaluate needs the stepped call: undecided, not false).
   */
  private entryConditionsFalse(program: string, rawArgs: readonly bigint[]): boolean {
    const bps = this.breakpoints.at(program, 0) ?? [];
    if (bps.length === 0 || bps.some((b) => b.expr === undefined)) return false;
    const h = this.host;
    const args = h.argsOf?.(program, rawArgs) ?? [];
    const env = {
      space: h.space,
      btfs: h.btfs,
      lookup: (n: string): Value | undefined => {
        if (/^r\d+$/.test(n) || n === 'pc') throw new EvalError('registers need the stepped call');
        const a = args.find((x) => x.name === n);
        return a ? { v: a.value, t: a.type } : h.lookup?.(n);
      },
    };
    try {
      return bps.every((b) => !truthy(evaluate(b.expr!, env)));
    } catch (e) {
      if (e instanceof EvalError) return false;
      throw e;
    }
  }

  /**
   * Re-execute silently to instruction position `count` (stepper.insnCount)
   * of call number `call`, and stop there: how a paused state is reached
   * again (reverse steps, a session re-running to where the user was).
   */
  resumeAt: ResumePoint | undefined;

  private run(name: string, prog: LoadedProgram, rawArgs: readonly bigint[], index: number, entry: StopInfo | undefined, fastForward: ResumePoint | undefined): bigint {
    const h = this.host;
    const { stepper, end } = h.vm.debugCallWithCtx(prog, rawArgs);
    const args = h.argsOf?.(name, rawArgs) ?? rawArgs.map((v, i) => ({ name: `ctx${i}`, type: { k: 'int', size: 8, signed: false, name: 'u64' } as const, value: v }));
    const call = new PausedCall(stepper, name, prog.image, h.space, h.btfs, args, h.labelOf?.(name) ?? name, h.lookup, index);
    const s = this.settings;
    let diags = h.diagnosticCount?.() ?? 0;
    let exiting = h.errorExit?.() !== undefined;
    try {
      let mode: ResumeMode | undefined;
      let first: StopInfo | undefined;
      if (fastForward !== undefined) {
        const starts = 'count' in fastForward ? undefined : new Set(lineStarts(prog.image, fastForward.file, fastForward.line));
        const reached = starts === undefined ? () => stepper.insnCount >= (fastForward as { count: number }).count : () => starts.has(stepper.pc);
        while (!stepper.done && !reached()) {
          stepper.step();
          call.log();
        }
        first = stepper.done ? { reason: 'return', ret: stepper.result } : 'stop' in fastForward ? fastForward.stop : { reason: 'step' };
        diags = h.diagnosticCount?.() ?? 0;
        exiting = h.errorExit?.() !== undefined;
      } else {
        // the first instruction: time travel, a pending step, or an entry/line breakpoint at insn 0
        first = entry ?? (this.pendingStep ? { reason: 'step' as const } : this.breakpointStop(call, name, 0));
      }
      this.pendingStep = false;
      mode = first ? this.stop(call, first) : 'continue';
      // only an entry breakpoint here and nothing to watch: the rest of the call needs no stepping
      if (mode === 'continue' && !this.watching() && this.breakpoints.onlyAtEntry(name)) stepper.run();
      for (;;) {
        if (stepper.done) break;
        const startDepth = stepper.depth;
        const startLine = call.lineOf();
        let stop: StopInfo | undefined;
        for (let n = 0; ; n++) {
          const pc = stepper.pc;
          const depth0 = stepper.depth;
          try {
            stepper.step();
            call.log();
          } catch (e) {
            if (e instanceof BpfFault && (s.breakOnFault || s.breakOnDiagnostic || s.breakOnErrorExit)) this.stop(call, { reason: 'fault', fault: e, message: e.message, at: pc });
            throw e;
          }
          if (s.breakOnDiagnostic && h.diagnosticCount) {
            const d = h.diagnosticCount();
            if (d > diags) {
              diags = d;
              stop = { reason: 'diagnostic', at: pc, message: 'a diagnostic was recorded' };
              break;
            }
          }
          if (s.breakOnErrorExit && !exiting) {
            const why = h.errorExit?.();
            if (why !== undefined) {
              exiting = true;
              stop = { reason: 'error_exit', at: pc, message: why };
              break;
            }
          }
          if (stepper.done) break;
          if (mode === 'stepi' && n === 0) {
            stop = { reason: 'step' };
            break;
          }
          const bp = this.breakpointStop(call, name, stepper.pc, depth0 === stepper.depth ? lineOfPc(call, pc) : undefined);
          if (bp) {
            stop = bp;
            break;
          }
          if (mode === 'finish' && stepper.depth < startDepth) {
            stop = { reason: 'step' };
            break;
          }
          if ((mode === 'step' || mode === 'next') && this.atNewLine(call, startLine, startDepth, mode)) {
            stop = { reason: 'step' };
            break;
          }
        }
        if (stop) {
          mode = this.stop(call, stop);
          continue;
        }
        // the program exited
        if (mode === 'finish' && startDepth === 0) mode = this.stop(call, { reason: 'return', ret: stepper.result });
        else if (mode === 'step' || mode === 'next' || mode === 'stepi') mode = this.stop(call, { reason: 'return', ret: stepper.result });
        if (mode !== 'continue' && mode !== 'finish') this.pendingStep = true;
        break;
      }
      return stepper.result;
    } finally {
      end();
    }
  }

  /** The next source line, as `step`/`next` see it: a line_info start on another line (or the same line re-entered by a jump), not deeper than allowed. */
  private atNewLine(call: PausedCall, startLine: LineInfo | undefined, startDepth: number, mode: 'step' | 'next'): boolean {
    const st = call.stepper;
    if (mode === 'next' && st.depth > startDepth) return false;
    const li = call.lineOf();
    if (li === undefined || li.insn !== st.pc) return false;
    return st.depth !== startDepth || startLine === undefined || li.line !== startLine.line || li.file !== startLine.file;
  }

  private watching(): boolean {
    const s = this.settings;
    return s.breakOnDiagnostic || s.breakOnErrorExit || s.breakOnFault;
  }

  /**
   * A breakpoint that stops before `insn`. A line breakpoint stops where its
   * line is entered: not again at the line's later line_info entries while
   * the previous instruction (`prevLine`, same frame) was already on it.
   */
  private breakpointStop(call: PausedCall, program: string, insn: number, prevLine?: LineInfo): StopInfo | undefined {
    const bps = this.breakpoints.at(program, insn);
    if (bps === undefined) return undefined;
    for (const bp of bps) {
      const w = bp.where;
      if (w.kind === 'line' && prevLine !== undefined && prevLine.line === w.line && sameFile(prevLine.file, w.file)) continue;
      if (bp.expr !== undefined) {
        let ok: boolean;
        try {
          ok = truthy(evaluate(bp.expr, call.env()));
        } catch (e) {
          // a condition that cannot be evaluated stops, naming why, as gdb does
          if (!(e instanceof EvalError)) throw e;
          return { reason: 'breakpoint', breakpoint: bp, message: `condition '${bp.cond}' could not be evaluated: ${e.message}` };
        }
        if (!ok) continue;
      }
      bp.hits++;
      if (bp.hits <= bp.ignore) continue;
      return { reason: 'breakpoint', breakpoint: bp };
    }
    return undefined;
  }

  private stop(call: PausedCall, info: StopInfo): ResumeMode {
    this.stops++;
    return this.host.onStop(call, info);
  }
}

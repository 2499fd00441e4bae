// The session's debugger: breakpoints of the opened object, and the paused
// position of a debug run as (op call number, instruction count). Every
// request re-executes the run deterministically from the start to that
// position (earlier calls on the normal engine path, the paused call stepped
// to the exact instruction), applies the request, and answers with the whole
// stop — registers, frames, typed args, disassembly, watches, and the
// simulated state at that frozen instant — so the worker never blocks and
// reverse steps are simply earlier positions.

import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { MachineSpec } from '../../model/events';
import type { LoadedObject } from '../../sched_ext/loader/object';
import { globalSetsFromRecord } from '../../sched_ext/loader/index';
import type { ResumeMode, ResumePoint } from '../../sched_ext/debug/debugger';
import { BreakpointError } from '../../sched_ext/debug/breakpoints';
import { ExprSyntaxError } from '../../sched_ext/debug/expr_parse';
import { EvalError } from '../../sched_ext/debug/expr_eval';
import { DebugRun, DebugRunError, type OpCallTarget, type StopContext } from '../../sim/debug/debug_run';
import type { Workload } from '../../sim/workload/schema';
import type { DebugStop, EvalResult, DebugSource } from '../../protocol/debug_contract';
import { fail, SessionFailure } from './file_source';
import type { FileBytes } from './file_source';

export interface DebugRunConfig {
  workload: Workload | string;
  cpus: number | MachineSpec;
  seed: number;
  engine: 'jit' | 'interp';
  sets: Record<string, string>;
  durationNs: number;
  /** The emulated kernel release (a trace's, for Debug this call). */
  kernelVersion?: string;
}

interface BreakpointEntry {
  where: string;
  cond?: string;
  ignore: number;
}

type Position = { call: number; count: number };

/** Thrown out of the paused op once the stop has been captured: the run is abandoned there. */
class Captured extends Error {
  constructor(readonly stop: DebugStop, readonly position: Position | undefined, readonly reverse?: Position) {
    super('captured');
  }
}

export class DebugSession {
  private breakpoints: BreakpointEntry[] = [];
  private breakOn = { diagnostic: false, errorExit: false };
  private config: DebugRunConfig | null = null;
  private position: Position | null = null;

  constructor(private readonly object: () => { loaded: LoadedObject; file: FileBytes } | null, private readonly assetsDir: string) {}

  /** The object changed: breakpoints and the paused run belong to the old one. */
  reset(): void {
    this.breakpoints = [];
    this.position = null;
    this.config = null;
  }

  setBreakpoints(list: { where: string; cond?: string; ignore: number }[], breakOn: { diagnostic: boolean; errorExit: boolean }): { breakpoints: { where: string; cond?: string; id?: number; error?: string }[] } {
    const probe = this.newRun({ workload: 'cpu-hogs', cpus: 1, seed: 1, engine: 'jit', sets: {}, durationNs: 1 }, () => 'continue', undefined, []);
    const out: { where: string; cond?: string; id?: number; error?: string }[] = [];
    const kept: BreakpointEntry[] = [];
    for (const b of list) {
      try {
        const bp = probe.addBreak(b.where, b.cond, b.ignore);
        out.push({ where: b.where, ...(b.cond ? { cond: b.cond } : {}), id: bp.id });
        kept.push(b);
      } catch (e) {
        if (!(e instanceof BreakpointError || e instanceof DebugRunError || e instanceof ExprSyntaxError)) throw e;
        out.push({ where: b.where, ...(b.cond ? { cond: b.cond } : {}), error: e.message });
      }
    }
    this.breakpoints = kept;
    this.breakOn = breakOn;
    return { breakpoints: out };
  }

  start(config: DebugRunConfig, watches: string[]): DebugStop {
    this.config = config;
    this.position = null;
    return this.capture(undefined, undefined, watches, 'continue');
  }

  resume(mode: ResumeMode, watches: string[]): DebugStop {
    const { config, position } = this.paused();
    return this.capture(position, undefined, watches, mode, config);
  }

  reverse(mode: 'step' | 'stepi', watches: string[]): DebugStop {
    const { config, position } = this.paused();
    // first re-run to where we are to learn the earlier position (the call's instruction history)
    const back = this.runTo(config, position, undefined, (ctx) => {
      throw new Captured({ state: 'ended', tNs: ctx.tNs, message: '' }, undefined, ctx.call.reversePosition(mode) ?? ctx.call.position);
    });
    return this.capture(back.reverse!, undefined, watches, undefined, config);
  }

  call(target: OpCallTarget, config: DebugRunConfig, watches: string[], expectSha256: string | undefined): DebugStop {
    this.config = config;
    this.position = null;
    const stop = this.capture(undefined, target, watches, undefined, config, expectSha256);
    if (stop.state === 'ended') fail({ code: 'run_failed', message: `the re-run reached ${stop.tNs} ns without the call ${target.op} at ${target.t} ns on CPU ${target.cpu}; is this the run's workload and seed?` });
    return stop;
  }

  eval(expr: string, depth: number): EvalResult {
    const { config, position } = this.paused();
    const r = this.runTo(config, position, undefined, () => 'continue', (ctx) => evalAt(ctx, expr, depth));
    return r.evaluated!;
  }

  source(): DebugSource {
    const obj = this.object();
    if (!obj) fail({ code: 'no_object', message: 'open a scheduler object (*.bpf.o) first' });
    const byFile = new Map<string, Map<number, string>>();
    for (const p of obj.loaded.programs) {
      for (const l of p.image.lineInfo) {
        let m = byFile.get(l.file);
        if (!m) byFile.set(l.file, (m = new Map()));
        if (!m.has(l.line) || m.get(l.line) === '') m.set(l.line, l.text);
      }
    }
    const files: DebugSource['files'] = [];
    for (const [file, lines] of byFile) {
      const codeLines = [...lines.keys()].sort((a, b) => a - b);
      const disk = this.readSource(file, obj.file, lines);
      if (disk !== undefined) {
        files.push({ file, text: disk, origin: 'disk', codeLines });
        continue;
      }
      const max = codeLines.at(-1) ?? 0;
      const text = Array.from({ length: max }, (_, i) => lines.get(i + 1) ?? '').join('\n');
      files.push({ file, text, origin: 'line_info', codeLines });
    }
    // the scheduler's own file first, headers after
    files.sort((a, b) => Number(a.file.endsWith('.h')) - Number(b.file.endsWith('.h')) || b.codeLines.length - a.codeLines.length);
    // the entry function comes first in a linked image, so its first line_info line is where the program starts
    const programs = obj.loaded.programs.flatMap((p) => {
      const first = p.image.lineInfo.find((l) => l.insn === 0) ?? p.image.lineInfo[0];
      return first ? [{ name: p.name, file: first.file, line: first.line }] : [];
    });
    return { files, programs };
  }

  /** The source file beside the object on disk, or the example's source; checked against line_info so a stale file is not shown. */
  private readSource(file: string, obj: FileBytes, known: Map<number, string>): string | undefined {
    // beside the object, where line_info says (builds record paths relative to where clang ran), the bundled examples
    const candidates = [obj.path ? join(dirname(obj.path), basename(file)) : undefined, resolve(file), join(this.assetsDir, 'schedulers', basename(file))];
    for (const c of candidates) {
      if (c === undefined) continue;
      let text: string;
      try {
        text = readFileSync(c, 'utf8');
      } catch {
        continue; // not there: try the next place
      }
      const at = text.split('\n');
      // the file must still say what clang saw when it built the object
      if ([...known].every(([n, t]) => t.trim() === '' || at[n - 1]?.trim() === t.trim())) return text;
    }
    return undefined;
  }

  private paused(): { config: DebugRunConfig; position: Position } {
    if (!this.config || !this.position) fail({ code: 'run_state', message: 'the debugger is not paused: start a debug run (debugStart) or debug a recorded call first' });
    return { config: this.config, position: this.position };
  }

  /** Re-run to `from` (or from the start / to `target`), resume with `mode`, and capture the next stop. */
  private capture(from: Position | undefined, target: OpCallTarget | undefined, watches: string[], mode: ResumeMode | undefined, config = this.config!, expectSha256?: string): DebugStop {
    let first = from !== undefined;
    const r = this.runTo(config, from, target, (ctx) => {
      if (first && mode !== undefined) {
        first = false;
        return mode;
      }
      throw new Captured(stopView(ctx, watches), ctx.call.position);
    }, undefined, expectSha256);
    this.position = r.position ?? null;
    return r.stop;
  }

  private runTo(
    config: DebugRunConfig, from: Position | undefined, target: OpCallTarget | undefined,
    onStop: (ctx: StopContext) => ResumeMode, evalHere?: (ctx: StopContext) => EvalResult, expectSha256?: string,
  ): { stop: DebugStop; position?: Position; reverse?: Position; evaluated?: EvalResult } {
    let evaluated: EvalResult | undefined;
    const run = this.newRun(config, (ctx) => {
      if (evalHere) {
        evaluated = evalHere(ctx);
        throw new Captured({ state: 'ended', tNs: ctx.tNs, message: '' }, undefined);
      }
      return onStop(ctx);
    }, from, this.breakpoints, target, expectSha256);
    try {
      run.runUntil(config.durationNs);
      // an error exit the kernel found after the op returned: re-run to the line whose kfunc call caused it
      const point = this.breakOn.errorExit && target === undefined ? run.errorResumePoint() : undefined;
      if (point !== undefined && (from === undefined || point.call > from.call)) {
        const again = this.newRun(config, onStop, point, this.breakpoints, undefined, expectSha256);
        again.runUntil(config.durationNs);
      }
    } catch (e) {
      if (e instanceof Captured) return { stop: e.stop, ...(e.position ? { position: e.position } : {}), ...(e.reverse ? { reverse: e.reverse } : {}), ...(evaluated ? { evaluated } : {}) };
      throw e;
    }
    return { stop: { state: 'ended', tNs: run.sim.now, message: run.sim.ejected ? 'the run ended: the scheduler was ejected' : 'the run reached its end without another stop' } };
  }

  private newRun(config: DebugRunConfig, onStop: (ctx: StopContext) => ResumeMode, from: ResumePoint | undefined, bps: BreakpointEntry[], target?: OpCallTarget, expectSha256?: string): DebugRun {
    const obj = this.object();
    if (!obj) fail({ code: 'no_object', message: 'open a scheduler object (*.bpf.o) before debugging' });
    let run: DebugRun;
    try {
      run = new DebugRun({
        objectBytes: obj.file.bytes,
        file: obj.file.name,
        workload: config.workload,
        cpus: config.cpus,
        seed: config.seed,
        engine: config.engine,
        globalSets: globalSetsFromRecord(config.sets),
        ...(config.kernelVersion ? { kernelVersion: config.kernelVersion } : {}),
        onStop,
        ...(from ? { resumeAt: from } : {}),
        ...(target ? { target } : {}),
        ...(expectSha256 ? { expectSha256 } : {}),
      });
    } catch (e) {
      if (e instanceof SessionFailure) throw e;
      // a workload that cannot be found, a --set that does not fit, a machine out of range: say so, naming the object
      fail({ code: 'run_failed', message: e instanceof DebugRunError ? e.message : `cannot start the debug run: ${(e as Error).message}`, file: obj.file.name });
    }
    for (const b of bps) run.addBreak(b.where, b.cond, b.ignore);
    run.debugger.settings.breakOnDiagnostic = this.breakOn.diagnostic;
    run.debugger.settings.breakOnErrorExit = this.breakOn.errorExit;
    run.debugger.settings.breakOnFault = this.breakOn.diagnostic || this.breakOn.errorExit;
    return run;
  }
}

function evalAt(ctx: StopContext, expr: string, depth: number): EvalResult {
  try {
    const r = ctx.call.print(expr, depth);
    return { expr, value: r.value, ...(r.tree ? { tree: r.tree } : {}) };
  } catch (e) {
    if (e instanceof EvalError || e instanceof ExprSyntaxError) return { expr, error: e.message };
    throw e;
  }
}

/** Everything the debugger views show at a stop. */
function stopView(ctx: StopContext, watches: string[]): DebugStop {
  const { call, stop } = ctx;
  const at = stop.at ?? call.pc;
  const li = stop.reason === 'return' ? undefined : call.lineOf(at);
  return {
    state: 'paused',
    reason: stop.reason,
    ...(stop.message ? { message: stop.message } : {}),
    ...(stop.breakpoint ? { breakpointId: stop.breakpoint.id } : {}),
    tNs: ctx.tNs,
    cpu: ctx.cpu,
    ...(ctx.op ? { op: ctx.op } : {}),
    program: call.program,
    pc: at,
    ...(li ? { file: li.file, line: li.line, text: li.text } : {}),
    ...(stop.ret !== undefined ? { ret: stop.ret.toString() } : {}),
    regs: call.regs().map((r) => ({ name: r.name, hex: r.hex, dec: r.dec, ...(r.pointer ? { pointer: r.pointer.label } : {}) })),
    frames: call.frames().reverse().map((f) => ({ func: f.func, pc: f.pc, ...(f.file ? { file: f.file, line: f.line } : {}) })),
    args: call.typedArgs().map((a) => ({ name: a.name, type: a.type, value: a.value })),
    disasm: call.disassembly(),
    watches: watches.map((w) => evalAt(ctx, w, 3)),
    snapshot: ctx.snapshot(),
  };
}

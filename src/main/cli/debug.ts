// `scxray debug OBJ`: run a scheduler on the simulated machine with
// breakpoints and drive the debugger from a script, one command per line:
//   continue | c, step | s, next | n, finish, stepi | si,
//   reverse-step | rs, reverse-stepi | rsi (re-executed from the start),
// --call T:OP:CPU[:PID[:N]] stops at the first instruction of one recorded op call (time travel),
//   regs, print EXPR | p EXPR, bt, args, disas, # comment
// At each stop it prints why, `FILE:LINE` with the source line, then the
// output of each inspection command until a resuming one. Exit 0 when the
// script ran to its end (the run is then abandoned where it stands), 1 when
// the run ended first, 2 for bad input.

import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { LoadError, parseGlobalSets } from '../../sched_ext/loader/index';
import { SimSetupError } from '../../sim/bpf_ops';
import { WorkloadError } from '../../sim/workload/load';
import { parseDuration } from '../../sim/workload/schema';
import type { EngineKind } from '../../sched_ext/vm/abi';
import { DebugRun, DebugRunError, type OpCallTarget, type StopContext } from '../../sim/debug/debug_run';
import type { ResumeMode, ResumePoint } from '../../sched_ext/debug/debugger';
import { BreakpointError } from '../../sched_ext/debug/breakpoints';
import { ExprSyntaxError } from '../../sched_ext/debug/expr_parse';
import { EvalError } from '../../sched_ext/debug/expr_eval';
import { memoryText } from '../../sched_ext/debug/memory_view';

interface DebugOptions {
  workload: string;
  cpus: string;
  seed: string;
  duration: string;
  break?: string[];
  if?: string;
  ignore?: string;
  breakOn?: string[];
  script: string;
  set?: string[];
  engine: string;
  call?: string;
}

class BadInput extends Error {}
/** Thrown out of the paused op to abandon the run once the script has no commands left. */
class ScriptEnded extends Error {}
/** Thrown out of the paused op to re-run from the start to an earlier position (reverse execution). */
class Rewind extends Error {
  constructor(readonly position: { call: number; count: number }) {
    super('rewind');
  }
}

const REVERSE: Record<string, 'step' | 'stepi'> = { 'reverse-step': 'step', rs: 'step', 'reverse-stepi': 'stepi', rsi: 'stepi' };
const RESUME: Record<string, ResumeMode> = { continue: 'continue', c: 'continue', step: 'step', s: 'step', next: 'next', n: 'next', finish: 'finish', stepi: 'stepi', si: 'stepi' };

export function register(program: Command): void {
  program
    .command('debug')
    .description('Run a scheduler with breakpoints and a script of debugger commands (continue, step, next, finish, stepi, regs, print EXPR, bt, args, disas)')
    .argument('<object>', 'scheduler object (*.bpf.o)')
    .option('-w, --workload <name|file>', 'workload preset or JSON file', 'cpu-hogs')
    .option('-c, --cpus <n>', 'number of CPUs (1-256)', '2')
    .option('-s, --seed <n>', 'random seed', '1')
    .option('-d, --duration <time>', 'longest virtual time to run, e.g. 1s', '1s')
    .option('-b, --break <FILE:LINE|OP...>', 'breakpoint on a source line or at an op\'s entry (repeatable)')
    .option('--if <expr>', 'condition for the breakpoints, e.g. "p->pid == 42" or "enq_flags & SCX_ENQ_WAKEUP"')
    .option('--ignore <n>', 'let the first N hits of each breakpoint pass')
    .option('--break-on <what...>', 'also stop on: diagnostic, error (error exit), fault')
    .requiredOption('--script <file>', 'debugger commands, one per line')
    .option('--set <name=value...>', 'assign .rodata/.data variables before load')
    .option('--engine <jit|interp>', 'engine for the calls not being stepped', 'jit')
    .option('--call <T:OP:CPU[:PID[:N]]>', 'Debug this call: stop at the first instruction of the op call an event recorded (time in ns, op, CPU, task pid or -1, N-th of identical calls)')
    .action((object: string, opts: DebugOptions) => {
      process.exitCode = debugCommand(object, opts, (s) => process.stdout.write(s));
    });
}

function int(v: string, what: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new BadInput(`--${what} must be an integer from ${min} to ${max} (got "${v}")`);
  return n;
}

export function debugCommand(object: string, opts: DebugOptions, out: (s: string) => void): number {
  let run: DebugRun;
  let makeRun: (resumeAt: ResumePoint | undefined) => DebugRun;
  let durationNs: number;
  let script: string[];
  const session = new ScriptSession(out);
  try {
    const cpus = int(opts.cpus, 'cpus', 1, 256);
    const seed = int(opts.seed, 'seed', 0, 2 ** 32 - 1);
    try {
      durationNs = parseDuration(opts.duration);
    } catch (e) {
      throw new BadInput(`--duration: ${(e as Error).message}`);
    }
    if (opts.engine !== 'jit' && opts.engine !== 'interp') throw new BadInput(`--engine must be jit or interp (got "${opts.engine}")`);
    try {
      script = readFileSync(opts.script, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    } catch (e) {
      throw new BadInput(`cannot read the script ${opts.script}: ${(e as Error).message}`);
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(object));
    } catch (e) {
      throw new BadInput(`cannot read ${object}: ${(e as Error).message}`);
    }
    const globalSets = parseGlobalSets(opts.set);
    const target = opts.call === undefined ? undefined : parseCall(opts.call);
    const ignore = opts.ignore === undefined ? 0 : int(opts.ignore, 'ignore', 0, 2 ** 31);
    makeRun = (resumeAt) => {
      const r = new DebugRun({
        objectBytes: bytes,
        file: basename(object),
        workload: opts.workload,
        cpus,
        seed,
        engine: opts.engine as EngineKind,
        globalSets,
        onStop: (ctx) => session.stopped(ctx),
        ...(resumeAt ? { resumeAt } : {}),
        ...(target && !resumeAt ? { target } : {}),
      });
      for (const b of opts.break ?? []) r.addBreak(b, opts.if, ignore);
      for (const what of opts.breakOn ?? []) {
        if (what === 'diagnostic') r.debugger.settings.breakOnDiagnostic = true;
        else if (what === 'error') r.debugger.settings.breakOnErrorExit = true;
        else if (what === 'fault') r.debugger.settings.breakOnFault = true;
        else throw new BadInput(`--break-on takes diagnostic, error or fault (got "${what}")`);
      }
      session.run = r;
      return r;
    };
    run = makeRun(undefined);
    if ((opts.break ?? []).length === 0 && (opts.breakOn ?? []).length === 0 && opts.call === undefined) throw new BadInput('give at least one --break FILE:LINE|OP, --break-on diagnostic|error|fault, or --call T:OP:CPU');
  } catch (e) {
    if (e instanceof BadInput || e instanceof LoadError || e instanceof WorkloadError || e instanceof SimSetupError || e instanceof DebugRunError || e instanceof BreakpointError || e instanceof ExprSyntaxError) {
      process.stderr.write(`scxray debug: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  session.script = script;
  let replayedError = false;
  for (;;) {
    try {
      run.runUntil(durationNs);
      // an error the kernel found after the op returned: re-run to the line whose kfunc call caused it
      const point = run.debugger.settings.breakOnErrorExit && !session.sawErrorExit && !replayedError ? run.errorResumePoint() : undefined;
      if (point === undefined) break;
      replayedError = true;
      run = makeRun(point);
    } catch (e) {
      if (e instanceof ScriptEnded) {
        out(`script ended; the run stopped at ${ms(run.sim.now)}\n`);
        return 0;
      }
      // reverse execution: the same run again, silently up to the earlier position
      if (e instanceof Rewind) run = makeRun(e.position);
      else throw e;
    }
  }
  if (opts.call !== undefined && !run.targetReached) {
    const t = parseCall(opts.call);
    out(`the run ended at ${ms(run.sim.now)} without reaching ${t.op} on CPU ${t.cpu}${t.pid >= 0 ? ` for pid ${t.pid}` : ''} at ${t.t} ns (call ${t.nth}); is this the run's workload, seed, CPUs and --set?\n`);
    return 1;
  }
  const left = script.length - session.next;
  if (left === 0) {
    out(`script ended; the run ended at ${ms(run.sim.now)}${run.sim.ejected ? ' (the scheduler was ejected)' : ''}\n`);
    return 0;
  }
  out(`the run ended at ${ms(run.sim.now)}${run.sim.ejected ? ' (the scheduler was ejected)' : ''} with ${left} script command${left === 1 ? '' : 's'} left: ${script.slice(session.next).join('; ')}\n`);
  return 1;
}

/** --call T:OP:CPU[:PID[:N]], as an op event names a call. */
function parseCall(spec: string): OpCallTarget {
  const m = /^(\d+):([a-z_]+):(\d+)(?::(-?\d+))?(?::(\d+))?$/.exec(spec);
  if (!m) throw new BadInput(`--call expects T:OP:CPU[:PID[:N]] (time in ns, op name, CPU, task pid or -1, which of identical calls), got "${spec}"`);
  return { t: Number(m[1]), op: m[2]!, cpu: Number(m[3]), pid: m[4] === undefined ? -1 : Number(m[4]), nth: m[5] === undefined ? 0 : Number(m[5]) };
}

const ms = (ns: number): string => `${(ns / 1e6).toFixed(6)} ms`;

/** Feeds script commands to the debugger at each stop. */
class ScriptSession {
  run!: DebugRun;
  script: string[] = [];
  next = 0;

  constructor(private readonly out: (s: string) => void) {}

  /** An error exit (or fault) was already stopped at. */
  sawErrorExit = false;

  stopped(ctx: StopContext): ResumeMode {
    const { call, stop } = ctx;
    if (stop.reason === 'error_exit' || stop.reason === 'fault') this.sawErrorExit = true;
    const where = `${ctx.op ?? call.program} (${call.program}) at ${ms(ctx.tNs)} on cpu ${ctx.cpu}`;
    switch (stop.reason) {
      case 'breakpoint': {
        const bp = stop.breakpoint!;
        const w = bp.where.kind === 'line' ? `${bp.where.file}:${bp.where.line}` : bp.where.label;
        this.out(`Breakpoint ${bp.id} (${w}${bp.cond ? ` if ${bp.cond}` : ''}), ${where}, hit ${bp.hits}\n`);
        if (stop.message) this.out(`  ${stop.message}\n`);
        break;
      }
      case 'fault': this.out(`Fault in ${where}: ${stop.fault ? `BPF fault (${stop.fault.kind}): ${stop.fault.detail}` : stop.message}\n`); break;
      case 'diagnostic': this.out(`Diagnostic in ${where}: ${this.lastDiagnostic()}\n`); break;
      case 'error_exit': this.out(`Error exit in ${where}: ${stop.message}\n`); break;
      case 'entry': this.out(`Call ${stop.message}, ${where}\n`); break;
      case 'return': this.out(`Returned from ${where}: r0 = ${stop.ret} (0x${(stop.ret ?? 0n).toString(16)})\n`); break;
      case 'step': break;
    }
    const at = stop.at ?? call.pc;
    const li = stop.reason === 'return' ? undefined : call.lineOf(at);
    if (li) this.out(`${basename(li.file)}:${li.line}\t${li.text.trim()}\n`);
    else if (stop.reason !== 'return') this.out(`insn ${at} (no line_info)\n`);

    for (;;) {
      const cmd = this.script[this.next];
      if (cmd === undefined) throw new ScriptEnded();
      this.next++;
      this.out(`(scxray) ${cmd}\n`);
      const [word, ...rest] = cmd.split(/\s+/);
      const mode = RESUME[word!];
      if (mode !== undefined) return mode;
      const back = REVERSE[word!];
      if (back !== undefined) {
        const pos = ctx.call.reversePosition(back);
        if (pos !== undefined) throw new Rewind(pos);
        this.out('error: at the first instruction of this call; reverse steps stay inside one call\n');
        continue;
      }
      this.inspect(ctx, word!, cmd.slice(word!.length).trim() || rest.join(' '));
    }
  }

  private inspect(ctx: StopContext, word: string, arg: string): void {
    const call = ctx.call;
    try {
      switch (word) {
        case 'regs':
          for (const r of call.regs()) this.out(`${r.name.padEnd(4)}${r.hex.padEnd(20)}${r.dec.padStart(21)}${r.pointer ? `  ${r.pointer.label}` : ''}\n`);
          return;
        case 'print':
        case 'p': {
          if (arg === '') throw new BadInput('print needs an expression');
          const r = call.print(arg);
          this.out(`${arg} = ${r.value}\n`);
          if (r.tree) for (const l of memoryText(r.tree, '  ')) this.out(`${l}\n`);
          return;
        }
        case 'bt': {
          const frames = call.frames().reverse();
          frames.forEach((f, i) => {
            const entry = i === frames.length - 1;
            this.out(`#${i} ${f.func}${entry && ctx.op ? ` (ops.${ctx.op})` : ''} at ${f.file ? `${basename(f.file)}:${f.line}` : `insn ${f.pc}`}\n`);
          });
          return;
        }
        case 'args':
          for (const a of call.typedArgs()) this.out(`${a.type} ${a.name} = ${a.value}\n`);
          return;
        case 'disas':
          for (const d of call.disassembly()) this.out(`${d.current ? '=>' : '  '} ${d.text}\n`);
          return;
        default:
          throw new BadInput(`unknown command "${word}" (continue, step, next, finish, stepi, regs, print EXPR, bt, args, disas)`);
      }
    } catch (e) {
      if (e instanceof EvalError || e instanceof ExprSyntaxError || e instanceof BadInput) this.out(`error: ${e.message}\n`);
      else throw e;
    }
  }

  private lastDiagnostic(): string {
    const sim = this.run.sim;
    const all = [...sim.world.core.diagnostics, ...sim.runtime.core.diagnostics];
    const d = all[all.length - 1];
    return d ? `${d.kind}: ${d.message}` : 'a diagnostic was recorded';
  }
}

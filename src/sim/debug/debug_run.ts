// A simulation with the debugger attached: breakpoints on ops
// ("enqueue") and source lines ("fifo.bpf.c:42"), conditions over the op's
// typed arguments, break on diagnostic / error exit / fault, and time travel
// to one recorded op call (the same object, workload, seed and machine give
// the same run, so re-running from the start reaches the same call with the
// same state). While stopped, the simulation is suspended inside the op call:
// the clock does not advance and snapshot() shows the paused instant.

import { BpfDebugger, type ResumeMode, type ResumePoint, type StopInfo } from '../../sched_ext/debug/debugger';
import { parseLineSpec } from '../../sched_ext/debug/breakpoints';
import type { PausedCall, TypedArg } from '../../sched_ext/debug/paused_call';
import type { Breakpoint } from '../../sched_ext/debug/breakpoints';
import type { Value } from '../../sched_ext/debug/expr_eval';
import { fromBtf } from '../../sched_ext/debug/value_type';
import type { SimEvent, SimSnapshot } from '../../model/events';
import { OP_NAMES, type OpName } from '../core/sched_ops';
import { Simulation, type SimulationOptions } from '../simulation';
import { typedOpArgs } from './op_args';

/** One recorded op call: its op event's time, op, CPU and task, and which of the identical (t, op, cpu, pid) calls it was. */
export interface OpCallTarget {
  t: number;
  op: string;
  cpu: number;
  pid: number;
  /** 0 for the first call with this (t, op, cpu, pid). */
  nth: number;
}

/** What the op event of a target call recorded, to check the re-run against. */
export type OpEvent = Extract<SimEvent, { kind: 'op' }>;

export class DebugRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DebugRunError';
  }
}

/** Where a stop is: the program, op, source location and the simulated instant. */
export interface StopContext {
  call: PausedCall;
  stop: StopInfo;
  op: string | undefined;
  tNs: number;
  cpu: number;
  /** The simulated state at this frozen instant. */
  snapshot(): SimSnapshot;
}

export interface DebugRunOptions extends SimulationOptions {
  /** Called at every stop, synchronously; the run stays paused until it returns. */
  onStop(ctx: StopContext): ResumeMode;
  /** Stop at this op call's first instruction (time travel). */
  target?: OpCallTarget;
  /** The trace's object hash: refuse to time-travel with a different object. */
  expectSha256?: string;
  /** Re-execute silently to this position (PausedCall.position, or a line of one call) and stop there. */
  resumeAt?: ResumePoint;
}

export class DebugRun {
  readonly sim: Simulation;
  readonly debugger: BpfDebugger;
  private readonly programOp = new Map<string, string>();
  private targetSeen = 0;
  private readonly protos = new Map<string, TypedArg[]>();
  /** Set once the target call was reached. */
  targetReached = false;

  constructor(private readonly opts: DebugRunOptions) {
    this.sim = new Simulation(opts);
    const sim = this.sim;
    if (opts.expectSha256 !== undefined && opts.expectSha256 !== sim.object.sha256) {
      throw new DebugRunError(`${opts.file} is not the object this trace was recorded with (object sha256 ${sim.object.sha256.slice(0, 16)}…, trace ${opts.expectSha256.slice(0, 16)}…); time travel needs the same object`);
    }
    const ops = sim.world.core.ops;
    for (const op of OP_NAMES) {
      const prog = ops.programOf(op);
      if (prog !== undefined) this.programOp.set(prog, op);
    }
    const kernelBtf = sim.world.opts.kernel.btf;
    const images = sim.object.programs.map((p) => p.image);
    const core = sim.world.core;
    this.debugger = new BpfDebugger({
      vm: sim.runtime.vm,
      space: sim.runtime.space,
      btfs: [sim.object.btf, kernelBtf],
      images,
      labelOf: (prog) => this.programOp.get(prog),
      argsOf: (prog, args) => {
        // names and types per program, worked out once (conditions are evaluated on every call)
        let proto = this.protos.get(prog);
        if (proto === undefined || proto.length < args.length) {
          const op = this.programOp.get(prog);
          proto = typedOpArgs(kernelBtf, op ?? '', op ? images.find((i) => i.name === prog) : undefined, args);
          this.protos.set(prog, proto);
        }
        return args.map((value, i) => ({ name: proto![i]!.name, type: proto![i]!.type, value }));
      },
      lookup: (name) => this.global(name),
      diagnosticCount: () => core.diagnostics.length + sim.runtime.core.diagnostics.length,
      errorExit: () => core.exitPending?.message,
      entryStop: opts.target ? (prog, args) => this.atTarget(prog, args) : undefined,
      onStop: (call, stop) => opts.onStop({ call, stop, op: this.programOp.get(call.program), tNs: sim.now, cpu: core.ctx?.cpu ?? 0, snapshot: () => sim.snapshot() }),
    });
    if (opts.resumeAt) this.debugger.resumeAt = opts.resumeAt;
    const intercept = this.debugger.intercept;
    sim.runtime.interceptor = (name, prog, args) => {
      this.noteErrorExit();
      this.lastCallOf.set(name, this.debugger.calls);
      return intercept(name, prog, args);
    };
  }

  /** `OP` or `FILE:LINE`, with an optional condition and ignore count. */
  addBreak(spec: string, cond?: string, ignore = 0): Breakpoint {
    const line = parseLineSpec(spec);
    if (line) return this.debugger.breakpoints.addLine(line.file, line.line, cond, ignore);
    if (!(OP_NAMES as readonly string[]).includes(spec)) {
      throw new DebugRunError(`"${spec}" is neither FILE:LINE nor a sched_ext op (ops of this scheduler: ${[...this.programOp.values()].join(', ')})`);
    }
    const prog = this.sim.world.core.ops.programOf(spec as OpName);
    if (prog === undefined) throw new DebugRunError(`this scheduler does not implement ops.${spec} (it implements ${[...this.programOp.values()].join(', ')})`);
    return this.debugger.breakpoints.addEntry(prog, spec, cond, ignore);
  }

  runUntil(tNs: number): void {
    this.sim.runUntil(tNs);
    this.noteErrorExit();
  }

  /** The number of the most recent call of each program. */
  private readonly lastCallOf = new Map<string, number>();
  /** The first error exit with a source site, and the op call that caused it (its program's latest call when it was seen). */
  errorExit: { call: number; program: string; file: string; line: number; message: string } | undefined;

  private noteErrorExit(): void {
    const e = this.sim.world.core.exitPending ?? this.sim.world.core.exitInfo;
    if (this.errorExit !== undefined || e === undefined || e.program === undefined || e.line === undefined || !e.kind.startsWith('SCX_EXIT_ERROR')) return;
    const call = this.lastCallOf.get(e.program);
    const file = (e as { file?: string }).file ?? this.sim.object.programs.find((p) => p.name === e.program)?.image.lineInfo.find((l) => l.line === e.line)?.file;
    if (call === undefined || file === undefined) return;
    this.errorExit = { call, program: e.program, file, line: e.line, message: e.message };
  }

  /**
   * Where to re-run to stop at the line whose kfunc call caused the error
   * exit, for errors the kernel detects after the op returned (a direct
   * dispatch to a DSQ that does not exist): break on error exit by re-execution.
   */
  errorResumePoint(): ResumePoint | undefined {
    const e = this.errorExit;
    return e && { call: e.call, file: e.file, line: e.line, stop: { reason: 'error_exit', message: e.message } };
  }

  private atTarget(prog: string, args: readonly bigint[]): StopInfo | undefined {
    const t = this.opts.target!;
    if (this.targetReached) return undefined;
    const core = this.sim.world.core;
    const ctx = core.ctx;
    if (this.sim.now !== t.t || ctx === undefined || ctx.op !== t.op || ctx.cpu !== t.cpu || this.programOp.get(prog) !== t.op) return undefined;
    if (t.pid >= 0 && this.sim.world.taskOfPtr(args[0] ?? 0n)?.pid !== t.pid) return undefined;
    if (this.targetSeen++ < t.nth) return undefined;
    this.targetReached = true;
    return { reason: 'entry', message: `${t.op} at ${t.t} ns on CPU ${t.cpu}${t.pid >= 0 ? ` (pid ${t.pid})` : ''}` };
  }

  /** A global variable of the object (.bss/.data/.rodata) by name, typed from the program's BTF. */
  private global(name: string): Value | undefined {
    const btf = this.sim.object.btf;
    const v = btf.findByName(name, 'var');
    if (v === undefined || v.kind !== 'var') return undefined;
    for (const sec of btf.types) {
      if (sec.kind !== 'datasec') continue;
      const info = sec.vars.find((x) => x.type === v.id);
      if (info === undefined) continue;
      const map = this.sim.runtime.maps.find((m) => m.name === sec.name || m.name.endsWith(sec.name));
      if (map === undefined) continue;
      const region = this.sim.runtime.space.regions.find((r) => r !== undefined && r.kind === 'global' && r.name === map.name);
      if (region === undefined) continue;
      return { v: 0n, t: fromBtf(btf, v.type), addr: this.sim.runtime.space.pointer(region, info.offset) };
    }
    return undefined;
  }
}

/** The target of an op event: which of the identical (t, op, cpu, pid) calls in `events` (in order) it is. */
export function targetOf(events: readonly SimEvent[], index: number): OpCallTarget {
  const ev = events[index];
  if (ev === undefined || ev.kind !== 'op') throw new DebugRunError(`event ${index} is not an op call`);
  let nth = 0;
  for (let i = 0; i < index; i++) {
    const e = events[i]!;
    if (e.kind === 'op' && e.t === ev.t && e.op === ev.op && e.cpu === ev.cpu && e.pid === ev.pid) nth++;
  }
  return { t: ev.t, op: ev.op, cpu: ev.cpu, pid: ev.pid, nth };
}

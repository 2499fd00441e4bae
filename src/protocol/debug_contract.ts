// The debugger's part of the session API (contract.ts lists these methods):
// breakpoints, starting a debug run, resuming by step/next/finish/continue,
// reverse steps, evaluating expressions (the memory viewer), "Debug this
// call" on a recorded op event, and the source text for the source pane.
// The engine re-executes deterministically to each paused position, so a
// stop is a value: everything the views show at that instant.

import { z } from 'zod';
import type { SimSnapshot } from '../model/events';

export const BreakpointSpec = z
  .object({
    /** "enqueue" (an op) or "FILE:LINE". */
    where: z.string().min(1).max(1024),
    /** A condition in the expression language: "p->pid == 42". */
    cond: z.string().max(4096).optional(),
    /** Hits to let pass before stopping. */
    ignore: z.number().int().min(0).default(0),
  })
  .strict();
export type BreakpointSpec = z.input<typeof BreakpointSpec>;

export const BreakOn = z.object({ diagnostic: z.boolean().default(false), errorExit: z.boolean().default(false) }).strict();

export const DebugSetBreakpointsParams = z.object({ breakpoints: z.array(BreakpointSpec).max(256), breakOn: BreakOn.default({ diagnostic: false, errorExit: false }) }).strict();

export const DebugBreakpointsResult = z.object({
  /** One entry per requested breakpoint, in order: its id, or why it was refused. */
  breakpoints: z.array(z.object({ where: z.string(), cond: z.string().optional(), id: z.number().optional(), error: z.string().optional() })),
});

const MemNodeSchema: z.ZodType<MemNode> = z.lazy(() =>
  z.object({
    name: z.string(),
    type: z.string(),
    offset: z.number(),
    size: z.number(),
    value: z.string().optional(),
    target: z.union([
      z.object({ kind: z.literal('obj'), id: z.number() }),
      z.object({ kind: z.literal('task'), pid: z.number() }),
      z.object({ kind: z.literal('map'), name: z.string() }),
      z.object({ kind: z.literal('stack'), frame: z.number() }),
    ]).optional(),
    kptr: z.boolean().optional(),
    children: z.array(MemNodeSchema).optional(),
    error: z.string().optional(),
  }),
);

/** One row of the memory viewer (mirrors sched_ext/debug/memory_view.ts MemNode). */
export interface MemNode {
  name: string;
  type: string;
  offset: number;
  size: number;
  value?: string;
  target?: { kind: 'obj'; id: number } | { kind: 'task'; pid: number } | { kind: 'map'; name: string } | { kind: 'stack'; frame: number };
  kptr?: boolean;
  children?: MemNode[];
  error?: string;
}

export const EvalResult = z.object({ expr: z.string(), value: z.string().optional(), tree: MemNodeSchema.optional(), error: z.string().optional() });
export type EvalResult = z.infer<typeof EvalResult>;

const SnapshotSchema = z.custom<SimSnapshot>((v) => typeof v === 'object' && v !== null && Array.isArray((v as SimSnapshot).cpus), { message: 'expected SimSnapshot' });

export const DebugStop = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('paused'),
    reason: z.enum(['breakpoint', 'entry', 'step', 'fault', 'diagnostic', 'error_exit', 'return']),
    message: z.string().optional(),
    breakpointId: z.number().optional(),
    tNs: z.number(),
    cpu: z.number(),
    op: z.string().optional(),
    program: z.string(),
    pc: z.number(),
    file: z.string().optional(),
    line: z.number().optional(),
    text: z.string().optional(),
    /** r0 at a 'return' stop (decimal). */
    ret: z.string().optional(),
    regs: z.array(z.object({ name: z.string(), hex: z.string(), dec: z.string(), pointer: z.string().optional() })),
    frames: z.array(z.object({ func: z.string(), pc: z.number(), file: z.string().optional(), line: z.number().optional() })),
    args: z.array(z.object({ name: z.string(), type: z.string(), value: z.string() })),
    disasm: z.array(z.object({ pc: z.number(), text: z.string(), current: z.boolean(), line: z.number().optional() })),
    watches: z.array(EvalResult),
    /** The simulated state at the paused instant (the clock is frozen inside the op). */
    snapshot: SnapshotSchema.optional(),
  }),
  z.object({ state: z.literal('ended'), tNs: z.number(), message: z.string() }),
]);
export type DebugStop = z.infer<typeof DebugStop>;

const Watches = z.array(z.string().max(4096)).max(32).default([]);
export const DebugResumeParams = z.object({ mode: z.enum(['continue', 'step', 'next', 'finish', 'stepi']), watches: z.array(z.string().max(4096)).max(32).default([]) }).strict();
export const DebugReverseParams = z.object({ mode: z.enum(['step', 'stepi']), watches: z.array(z.string().max(4096)).max(32).default([]) }).strict();
export const DebugEvalParams = z.object({ expr: z.string().min(1).max(4096), depth: z.number().int().min(1).max(8).default(3) }).strict();

export const DebugSource = z.object({
  files: z.array(z.object({
    /** As line_info names it. */
    file: z.string(),
    text: z.string(),
    /** 'disk' when read from the source file, 'line_info' when rebuilt from the lines clang embedded (others blank). */
    origin: z.enum(['disk', 'line_info']),
    /** Lines that have code (line breakpoints can go there). */
    codeLines: z.array(z.number()),
  })),
  /** Where each program starts (its first line_info line), so an op or program name opens the pane there. */
  programs: z.array(z.object({ name: z.string(), file: z.string(), line: z.number() })).optional(),
});
export type DebugSource = z.infer<typeof DebugSource>;

/**
 * The debugger's methods for contract.ts. `run` is the contract's
 * StartRunParams, passed in so this module does not import contract.ts back.
 */
export function debugMethods<R extends z.ZodType>(run: R) {
  return {
    /** Replace the breakpoints (and break-on settings) of the opened object; refusals come back per breakpoint. */
    debugSetBreakpoints: { params: DebugSetBreakpointsParams, result: DebugBreakpointsResult },
    /** Run the opened object from the start until the first stop. */
    debugStart: { params: z.object({ run, watches: Watches }).strict(), result: DebugStop },
    debugResume: { params: DebugResumeParams, result: DebugStop },
    /** Reverse step inside the paused call, by re-execution. */
    debugReverse: { params: DebugReverseParams, result: DebugStop },
    /** Evaluate an expression at the paused position (the memory viewer renders BTF types as trees). */
    debugEval: { params: DebugEvalParams, result: EvalResult },
    /**
     * "Debug this call": re-run (the live run's parameters, or `run`) to the op call an event recorded and stop at
     * its first instruction; `nth` picks among identical (t, op, cpu, pid) calls. Refuses a trace made with another object.
     */
    debugCall: {
      params: z.object({ t: z.number().min(0), op: z.string(), cpu: z.number().int(), pid: z.number().int(), nth: z.number().int().min(0).default(0), run: run.optional(), watches: Watches }).strict(),
      result: DebugStop,
    },
    /** Source files of the opened object for the source pane. */
    debugSource: { params: z.object({}).strict(), result: DebugSource },
  } as const;
}

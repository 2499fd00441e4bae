// "Debug this call": record a run, pick op events, re-run the same object,
// workload and seed with the debugger, and stop at that call's first
// instruction. The paused call must carry exactly the recorded arguments, and
// running it to its return must give the recorded return value and
// instruction count — in both engines (the re-run steps the target call in
// the interpreter; every other call runs in the engine the run was made with).

import { describe, expect, it } from 'vitest';
import { Simulation } from '../simulation';
import { exampleScheduler } from '../testing/fixtures';
import type { SimEvent } from '../../model/events';
import { DebugRun, DebugRunError, targetOf, type OpEvent } from './debug_run';
import type { EngineKind } from '../../sched_ext/vm/abi';
import { bpfFixtureBytes } from '../../../test/support/bpf';

const formatArg = (v: bigint): string => (v > 0xffff_ffffn ? '0x' + v.toString(16) : v.toString());

function record(bytes: Uint8Array, engine: EngineKind, untilNs: number): SimEvent[] {
  const sim = new Simulation({ objectBytes: bytes, file: 'vtime.bpf.o', workload: 'interactive', cpus: 2, seed: 7, engine });
  const events: SimEvent[] = [];
  sim.on((e) => events.push(e));
  sim.runUntil(untilNs);
  return events;
}

describe('time travel: Debug this call', () => {
  for (const engine of ['jit', 'interp'] as const) {
    it(`reproduces the recorded arguments, return value and instruction count of op calls (${engine})`, () => {
      const bytes = exampleScheduler('vtime');
      const events = record(bytes, engine, 30_000_000);
      const ops = events.map((e, i) => ({ e, i })).filter((x): x is { e: OpEvent; i: number } => x.e.kind === 'op');
      // a select_cpu (returns a CPU), an enqueue late in the run, and a dispatch
      const picks = [ops.find((x) => x.e.op === 'select_cpu' && x.e.t > 5_000_000), ops.filter((x) => x.e.op === 'enqueue').at(-1), ops.find((x) => x.e.op === 'dispatch' && x.e.t > 1_000_000)];
      expect(picks.every((p) => p !== undefined)).toBe(true);
      for (const pick of picks) {
        const ev = pick!.e;
        const target = targetOf(events, pick!.i);
        let seen: { args: string[]; pid: number; ret?: bigint; insns?: number; line?: number; pc?: number } | undefined;
        const run = new DebugRun({
          objectBytes: bytes, file: 'vtime.bpf.o', workload: 'interactive', cpus: 2, seed: 7, engine,
          expectSha256: undefined, target,
          onStop: ({ call, stop }) => {
            if (stop.reason === 'entry') {
              const raw = call.args.map((a) => a.value);
              const pid = ev.pid >= 0 ? Number(/pid (\d+)/.exec(call.typedArgs()[0]!.pointer!.label)![1]) : -1;
              seen = { args: raw.slice(ev.pid >= 0 ? 1 : 0).map(formatArg), pid, pc: call.pc, line: call.lineOf()?.line };
              return 'finish';
            }
            expect(stop.reason).toBe('return');
            seen!.ret = stop.ret;
            seen!.insns = call.stepper.insnCount;
            return 'continue';
          },
        });
        run.runUntil(ev.t + 1);
        expect(run.targetReached).toBe(true);
        expect(seen).toBeDefined();
        expect(seen!.pc).toBe(0);
        expect(seen!.line).toBeGreaterThan(0);
        expect(seen!.args).toEqual(ev.args);
        expect(seen!.pid).toBe(ev.pid);
        expect(seen!.ret?.toString()).toBe(ev.ret);
        expect(seen!.insns).toBe(ev.insns);
      }
    });
  }

  it('the debugged re-run records the same events as the original run up to the call (stepping changes nothing)', () => {
    const bytes = exampleScheduler('vtime');
    const events = record(bytes, 'jit', 10_000_000);
    // An enqueue well into the run (any op call would do; enqueue has a task argument to check).
    const enqueues = events.flatMap((e, i) => (e.kind === 'op' && e.op === 'enqueue' ? [i] : []));
    const idx = enqueues[Math.floor(enqueues.length / 2)] ?? -1;
    expect(idx).toBeGreaterThan(0);
    const after: SimEvent[] = [];
    const run = new DebugRun({
      objectBytes: bytes, file: 'vtime.bpf.o', workload: 'interactive', cpus: 2, seed: 7,
      target: targetOf(events, idx),
      onStop: () => 'next',
    });
    run.sim.on((e) => after.push(e));
    run.runUntil(10_000_000);
    expect(run.targetReached).toBe(true);
    expect(run.debugger.stops).toBeGreaterThan(3); // stepped line by line through the call, then into the next calls
    expect(after).toEqual(events);
  });

  it('refuses to time-travel with an object whose hash differs from the trace\'s', () => {
    const other = bpfFixtureBytes('test/bpf/debug/dbg.bpf.c');
    expect(() => new DebugRun({ objectBytes: other, file: 'dbg.bpf.o', workload: 'interactive', cpus: 2, seed: 7, expectSha256: 'ab'.repeat(32), onStop: () => 'continue' }))
      .toThrow(DebugRunError);
    expect(() => new DebugRun({ objectBytes: other, file: 'dbg.bpf.o', workload: 'interactive', cpus: 2, seed: 7, expectSha256: 'ab'.repeat(32), onStop: () => 'continue' }))
      .toThrow(/dbg\.bpf\.o is not the object this trace was recorded with/);
  });
});

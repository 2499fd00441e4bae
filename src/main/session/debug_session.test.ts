// The session's debugger methods over the real engine: breakpoints refused
// with reasons, a debug run that stops at a line breakpoint with registers,
// typed args, disassembly and the state at the frozen instant, stepping and
// reverse stepping by re-execution, the memory viewer, the source pane's
// files, and "Debug this call" on a live run's op event.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from './session';
import { REPO_ROOT, bpfFixturePath } from '../../../test/support/bpf';
import type { DebugSource, DebugStop, EvalResult } from '../../protocol/debug_contract';

const assetsDir = join(REPO_ROOT, 'assets');
const SRC = 'test/bpf/debug/dbg.bpf.c';
const lines = readFileSync(join(REPO_ROOT, SRC), 'utf8').split('\n');
const lineOf = (marker: string): number => lines.findIndex((l) => l.includes(marker)) + 1;

async function ok<T>(s: Session, method: string, params: unknown): Promise<T> {
  const r = await s.handle({ method, params });
  if (!r.ok) throw new Error(`${method} failed: ${r.error.code}: ${r.error.message}`);
  return r.result as T;
}

const RUN = { workload: 'cpu-hogs', cpus: 2, seed: 1, durationNs: 50_000_000 };

function paused(s: DebugStop): Extract<DebugStop, { state: 'paused' }> {
  if (s.state !== 'paused') throw new Error(`expected a stop, got: ${s.message}`);
  return s;
}

describe('Session debugger', () => {
  it('stops at a line breakpoint, steps, reverse-steps, evaluates, and shows the source', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    await ok(s, 'openObject', { path: bpfFixturePath(SRC) });
    const bps = await ok<{ breakpoints: { id?: number; error?: string }[] }>(s, 'debugSetBreakpoints', {
      breakpoints: [{ where: `dbg.bpf.c:${lineOf('LINE_KEY')}` }, { where: `dbg.bpf.c:${lineOf('LINE_WAKEUP')}` }, { where: 'dispatch' }],
    });
    expect(bps.breakpoints[0]!.id).toBe(1);
    expect(bps.breakpoints[1]!.error).toMatch(/no code at dbg\.bpf\.c:\d+; nearest lines with code/);
    expect(bps.breakpoints[2]!.error).toMatch(/does not implement ops\.dispatch/);

    const first = paused(await ok<DebugStop>(s, 'debugStart', { run: RUN, watches: ['p->pid', 'p->nosuch'] }));
    expect(first).toMatchObject({ reason: 'breakpoint', breakpointId: 1, op: 'enqueue', program: 'dbg_enqueue', line: lineOf('LINE_KEY') });
    const pid = Number(first.watches[0]!.value);
    expect(first.watches[1]!.error).toMatch(/no field 'nosuch'/);
    expect(first.args[0]).toMatchObject({ name: 'p', type: 'struct task_struct *' });
    expect(first.args[0]!.value).toContain(`task_struct pid ${pid} +0x0`);
    expect(first.regs.find((r) => r.name === 'r7')!.pointer).toBe(`task_struct pid ${pid} +0x0`);
    expect(first.disasm.filter((d) => d.current)).toHaveLength(1);
    expect(first.disasm.find((d) => d.current)!.pc).toBe(first.pc);
    // the state at the frozen instant: the task being enqueued is not running anywhere yet
    expect(first.snapshot!.cpus.length).toBe(2);
    expect(first.frames).toEqual([{ func: 'dbg_enqueue', pc: first.pc, file: first.file, line: lineOf('LINE_KEY') }]);

    const next = paused(await ok<DebugStop>(s, 'debugResume', { mode: 'next' }));
    expect(next.line).toBe(lineOf('bpf_map_lookup_elem'));
    expect(next.tNs).toBe(first.tNs);
    const back = paused(await ok<DebugStop>(s, 'debugReverse', { mode: 'step' }));
    expect(back.line).toBe(lineOf('LINE_KEY'));
    expect(back.regs).toEqual(first.regs);

    const tree = await ok<EvalResult>(s, 'debugEval', { expr: '*p', depth: 2 });
    expect(tree.tree!.children!.find((c) => c.name === 'pid')!.value).toBe(String(pid));
    const weight = await ok<EvalResult>(s, 'debugEval', { expr: 'p->scx.weight' });
    expect(weight.value).toBe('100 (0x64)');

    const cont = paused(await ok<DebugStop>(s, 'debugResume', { mode: 'continue', watches: ['p->pid'] }));
    expect(cont.line).toBe(lineOf('LINE_KEY'));
    expect(cont.watches[0]!.value).not.toBe(String(pid)); // the next enqueue is another task

    const src = await ok<DebugSource>(s, 'debugSource', {});
    const main = src.files[0]!;
    expect(main.file).toMatch(/dbg\.bpf\.c$/);
    expect(main.origin).toBe('disk');
    expect(main.text.split('\n')[lineOf('LINE_KEY') - 1]).toContain('LINE_KEY');
    expect(main.codeLines).toContain(lineOf('LINE_KEY'));
    expect(main.codeLines).not.toContain(lineOf('LINE_WAKEUP'));
    // a program opens at its function's first line (an op name in the UI opens the pane there)
    const enq = src.programs!.find((p) => p.name === 'dbg_enqueue')!;
    expect(enq.file).toBe(main.file);
    expect(enq.line).toBe(lineOf('BPF_STRUCT_OPS(dbg_enqueue'));
  });

  it('break on error exit stops at the kfunc call whose verdict the kernel refused after the op returned', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    await ok(s, 'openObject', { example: 'buggy-bad_dsq' });
    await ok(s, 'debugSetBreakpoints', { breakpoints: [], breakOn: { diagnostic: false, errorExit: true } });
    const stop = paused(await ok<DebugStop>(s, 'debugStart', { run: RUN, watches: ['p->scx.weight'] }));
    expect(stop).toMatchObject({ reason: 'error_exit', op: 'enqueue', program: 'bad_dsq_enqueue' });
    expect(stop.message).toMatch(/non-existent DSQ 0x1/);
    expect(stop.text).toContain('scx_bpf_dsq_insert');
    expect(Number(stop.watches[0]!.value!.split(' ')[0])).toBeGreaterThan(100); // the branch that picks the typo DSQ
    const end = await ok<DebugStop>(s, 'debugResume', { mode: 'continue' });
    expect(end).toMatchObject({ state: 'ended' });
  });

  it('Debug this call on a recorded trace: re-runs with the trace\'s workload, seed and machine; refuses another object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scxray-dbg-trace-'));
    try {
      const trace = join(dir, 'vtime.scxtrace');
      const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/scxray.mjs'), 'run', join(assetsDir, 'schedulers/vtime.bpf.o'), '-w', 'interactive', '-c', '2', '-d', '20ms', '-s', '4', '--record', trace], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(0);
      const s = new Session({ host: 'browser', assetsDir });
      await ok(s, 'openObject', { example: 'vtime' });
      await ok(s, 'openTrace', { path: trace });
      const evs = await ok<{ events: { t: number; op: string; cpu: number; pid: number; args: string[]; ret?: string }[] }>(s, 'events', { t0: 10_000_000, t1: 20_000_000, kinds: ['op'], limit: 500 });
      const ev = evs.events.find((e) => e.op === 'enqueue')!;
      const stop = paused(await ok<DebugStop>(s, 'debugCall', { t: ev.t, op: ev.op, cpu: ev.cpu, pid: ev.pid }));
      expect(stop).toMatchObject({ reason: 'entry', op: 'enqueue', tNs: ev.t, cpu: ev.cpu });
      expect(stop.args[0]!.value).toContain(`task_struct pid ${ev.pid} +0x0`);
      expect(stop.args.slice(1).map((a) => a.value.split(' ')[0])).toEqual(ev.args);

      await ok(s, 'openObject', { example: 'fifo' });
      const refused = await s.handle({ method: 'debugCall', params: { t: ev.t, op: ev.op, cpu: ev.cpu, pid: ev.pid } });
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.message).toMatch(/fifo\.bpf\.o is not the object this trace was recorded with/);
      s.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Debug this call: a live run\'s op event re-runs to that call, with the recorded arguments', async () => {
    const s = new Session({ host: 'browser', assetsDir });
    await ok(s, 'openObject', { example: 'vtime' });
    await ok(s, 'startRun', { ...RUN, workload: 'interactive', durationNs: 20_000_000 });
    let status: { state: string } = { state: 'running' };
    for (let i = 0; i < 200 && status.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      status = await ok(s, 'runStatus', {});
    }
    expect(status.state).toBe('finished');
    const evs = await ok<{ events: { kind: string; t: number; op: string; cpu: number; pid: number; args: string[]; ret?: string }[] }>(s, 'events', { t0: 5_000_000, t1: 20_000_000, kinds: ['op'], limit: 2000 });
    const ev = evs.events.find((e) => e.op === 'select_cpu')!;
    const stop = paused(await ok<DebugStop>(s, 'debugCall', { t: ev.t, op: ev.op, cpu: ev.cpu, pid: ev.pid, nth: 0 }));
    expect(stop).toMatchObject({ reason: 'entry', op: 'select_cpu', tNs: ev.t, cpu: ev.cpu, pc: 0 });
    expect(stop.args.slice(1).map((a) => a.value.split(' ')[0])).toEqual(ev.args);
    const ret = paused(await ok<DebugStop>(s, 'debugResume', { mode: 'finish' }));
    expect(ret.reason).toBe('return');
    expect(ret.ret).toBe(ev.ret);
    s.dispose();
  });
});

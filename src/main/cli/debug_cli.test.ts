// `scxray debug` end to end on a clang-built fixture (test/bpf/debug/dbg.bpf.c):
// line breakpoints with register values, step into / step over a bpf-to-bpf
// call, a conditional breakpoint, break on diagnostic at the faulting line,
// and the exit codes. Lines are found by the markers in the fixture's source.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { REPO_ROOT, bpfFixturePath } from '../../../test/support/bpf';
import { Simulation } from '../../sim/simulation';
import { targetOf } from '../../sim/debug/debug_run';
import type { SimEvent } from '../../model/events';

const SRC = 'test/bpf/debug/dbg.bpf.c';
const source = readFileSync(join(REPO_ROOT, SRC), 'utf8').split('\n');
const lineOf = (marker: string): number => source.findIndex((l) => l.includes(marker)) + 1;

function debug(args: string[], script: string) {
  const dir = mkdtempSync(join(tmpdir(), 'scxray-debug-'));
  try {
    const file = join(dir, 'cmds');
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/scxray.mjs'), 'debug', bpfFixturePath(SRC), ...args, '--script', file], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The register lines of a `regs` listing: name -> [hex, decimal, pointer label]. */
function regs(out: string): Map<string, { hex: string; dec: string; ptr: string }> {
  const m = new Map<string, { hex: string; dec: string; ptr: string }>();
  for (const l of out.split('\n')) {
    const r = /^(r\d+)\s+(0x[0-9a-f]+)\s+(-?\d+)\s*(.*)$/.exec(l);
    if (r) m.set(r[1]!, { hex: r[2]!, dec: r[3]!, ptr: r[4]! });
  }
  return m;
}

describe('scxray debug', () => {
  it('a line breakpoint in a subprogram stops at that line with the arguments in r1/r2', () => {
    const weigh = lineOf('LINE_WEIGH');
    const r = debug(['-w', 'cpu-hogs', '--break', `dbg.bpf.c:${weigh}`], 'regs\nprint p->pid\nprint enq_flags\nbt\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^Breakpoint 1 \(dbg\.bpf\.c:\d+\), enqueue \(dbg_enqueue\) at [\d.]+ ms on cpu \d, hit 1$/);
    expect(lines[1]).toBe(`dbg.bpf.c:${weigh}\tu64 w = p->scx.weight; /* LINE_WEIGH */`);
    const rs = regs(r.out);
    // bpf-to-bpf calling convention: weigh(p, enq_flags) gets p in r1 and enq_flags in r2
    const pid = Number(/^p->pid = (\d+)$/m.exec(r.out)![1]);
    expect(rs.get('r1')!.ptr).toBe(`task_struct pid ${pid} +0x0`);
    expect(rs.get('r2')!.dec).toBe(/^enq_flags = (\d+)/m.exec(r.out)![1]);
    expect(rs.get('r10')!.ptr).toBe('stack frame 1 +0x0'); // the subprogram's own frame
    expect(rs.get('r1')!.hex).toBe('0x' + BigInt(rs.get('r1')!.dec).toString(16));
    expect(r.out).toMatch(/#0 weigh at dbg\.bpf\.c:\d+\n#1 dbg_enqueue \(ops\.enqueue\) at dbg\.bpf\.c:\d+/);
    expect(r.out).toMatch(/script ended; the run stopped at/);
  });

  it('next steps over the bpf-to-bpf call; step goes into it', () => {
    const call = lineOf('LINE_CALL');
    const over = debug(['--break', `dbg.bpf.c:${call}`], 'next\nbt\n');
    expect(over.code).toBe(0);
    expect(over.out).toContain(`(scxray) next\ndbg.bpf.c:${lineOf('LINE_KEY')}\t`);
    expect(over.out).toMatch(/\(scxray\) bt\n#0 dbg_enqueue \(ops\.enqueue\) at dbg\.bpf\.c:\d+\n(?!#1)/);
    const into = debug(['--break', `dbg.bpf.c:${call}`], 'step\nbt\nfinish\n');
    expect(into.code).toBe(0);
    expect(into.out).toContain(`(scxray) step\ndbg.bpf.c:${lineOf('LINE_WEIGH')}\t`);
    expect(into.out).toContain(`#0 weigh at dbg.bpf.c:${lineOf('LINE_WEIGH')}\n#1 dbg_enqueue (ops.enqueue) at dbg.bpf.c:${call}`);
    // finish returns to the caller, still on the calling line (r0 = the weight is being moved)
    expect(into.out).toContain(`(scxray) finish\ndbg.bpf.c:${call}\t`);
  });

  it('a conditional breakpoint stops only for the given pid', () => {
    const r = debug(['-w', 'interactive', '--break', 'enqueue', '--if', 'p->pid == 5'], 'print p->pid\ncontinue\nprint p->pid\ncontinue\nprint p->pid\n');
    expect(r.code).toBe(0);
    const pids = [...r.out.matchAll(/^p->pid = (\d+)$/gm)].map((m) => Number(m[1]));
    expect(pids).toEqual([5, 5, 5]);
    expect([...r.out.matchAll(/^Breakpoint 1 \(enqueue if p->pid == 5\)/gm)]).toHaveLength(3);
    // without the condition the first stops are other tasks
    const all = debug(['-w', 'interactive', '--break', 'enqueue'], 'print p->pid\ncontinue\nprint p->pid\ncontinue\nprint p->pid\n');
    const anyPids = [...all.out.matchAll(/^p->pid = (\d+)$/gm)].map((m) => Number(m[1]));
    expect(anyPids).toHaveLength(3);
    expect(anyPids.some((p) => p !== 5)).toBe(true);
  });

  it('a condition over flags and enum constants: enq_flags & SCX_ENQ_WAKEUP', () => {
    const r = debug(['-w', 'interactive', '--break', 'enqueue', '--if', 'enq_flags & SCX_ENQ_WAKEUP'], 'print enq_flags & SCX_ENQ_WAKEUP\nprint SCX_ENQ_WAKEUP\n');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^SCX_ENQ_WAKEUP = 1$/m);
    expect(r.out).toMatch(/^enq_flags & SCX_ENQ_WAKEUP = 1$/m);
  });

  it('break on diagnostic stops at the faulting line, before the fault ejects the scheduler', () => {
    const r = debug(['-w', 'interactive', '--set', 'fault_pid=5', '--break-on', 'diagnostic'], 'bt\nprint p->pid\nregs\ncontinue\n');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Fault in enqueue \(dbg_enqueue\) at [\d.]+ ms on cpu \d: BPF fault \(null\): read from 0x0/m);
    expect(r.out).toContain(`dbg.bpf.c:${lineOf('LINE_FAULT')}\t*c += w; /* LINE_FAULT */`);
    expect(r.out).toMatch(/^p->pid = 5$/m);
    expect(regs(r.out).get('r0')!.hex).toBe('0x0'); // the NULL the lookup returned
    expect(r.out).toMatch(/script ended; the run ended at .* \(the scheduler was ejected\)/);
  });

  it('exit codes: 1 when the run ends before the script, 2 for a line without code or an unknown op', () => {
    const early = debug(['--break', 'enqueue', '--if', 'p->pid == 999', '-d', '20ms'], 'print p->pid\n');
    expect(early.code).toBe(1);
    expect(early.out).toMatch(/the run ended at 20\.000000 ms with 1 script command left: print p->pid/);
    const noCode = debug(['--break', `dbg.bpf.c:${lineOf('LINE_WAKEUP')}`], 'continue\n');
    expect(noCode.code).toBe(2);
    expect(noCode.err).toMatch(new RegExp(`no code at dbg\\.bpf\\.c:${lineOf('LINE_WAKEUP')}; nearest lines with code: `));
    const badOp = debug(['--break', 'dispatch'], 'continue\n');
    expect(badOp.code).toBe(2);
    expect(badOp.err).toMatch(/does not implement ops\.dispatch \(it implements enqueue\)/);
    const badExpr = debug(['--break', 'enqueue', '--if', 'p->pid =='], 'continue\n');
    expect(badExpr.code).toBe(2);
    expect(badExpr.err).toMatch(/the expression ends too early/);
  });

  it('reverse-stepi and reverse-step re-execute to the earlier instruction with the earlier registers', () => {
    const r = debug(['--break', `dbg.bpf.c:${lineOf('LINE_CALL')}`], 'stepi\nstepi\nregs\nstepi\nregs\nrsi\nregs\nnext\nrs\nrs\nbt\n');
    expect(r.code).toBe(0);
    const dumps = r.out.split('(scxray) regs\n').slice(1).map((chunk) => regs(chunk));
    expect(dumps).toHaveLength(3);
    // the stepped-over instruction changed something (the call moved pc into weigh: r10 is frame 1), and rsi restored it
    expect(dumps[1]!.get('r10')!.ptr).not.toBe(dumps[0]!.get('r10')!.ptr);
    expect([...dumps[2]!.entries()]).toEqual([...dumps[0]!.entries()]);
    // next from the call line to the next; reverse-step back to the call line, then into the callee's last line
    expect(r.out).toContain(`(scxray) next\ndbg.bpf.c:${lineOf('LINE_KEY')}\t`);
    expect(r.out).toContain(`(scxray) rs\ndbg.bpf.c:${lineOf('LINE_CALL')}\t`);
    expect(r.out).toContain(`(scxray) rs\ndbg.bpf.c:${lineOf('return w;')}\t`);
    expect(r.out).toMatch(/\(scxray\) bt\n#0 weigh at dbg\.bpf\.c:\d+\n#1 dbg_enqueue/);
  });

  it('hit counts: --ignore lets the first N hits pass and the stop says which hit it is', () => {
    const r = debug(['-w', 'interactive', '--break', 'enqueue', '--ignore', '2'], 'print p->pid\ncontinue\n');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Breakpoint 1 \(enqueue\), enqueue \(dbg_enqueue\) at [\d.]+ ms on cpu \d, hit 3$/m);
    expect(r.out).toMatch(/, hit 4$/m);
    const plain = debug(['-w', 'interactive', '--break', 'enqueue'], 'continue\ncontinue\nprint p->pid\n');
    // the third hit without --ignore is the first stop with --ignore 2
    expect(/^p->pid = (\d+)$/m.exec(r.out)![1]).toBe(/^p->pid = (\d+)$/m.exec(plain.out)![1]);
    expect(plain.out).toMatch(/, hit 3$/m);
  });

  it('break on error exit: an error the kernel finds after the op returned stops, by re-execution, at the kfunc call that caused it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scxray-debug-'));
    try {
      const file = join(dir, 'cmds');
      writeFileSync(file, 'bt\nargs\ncontinue\n');
      const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/scxray.mjs'), 'debug', join(REPO_ROOT, 'assets/schedulers/buggy/bad_dsq.bpf.o'), '--break-on', 'error', '--script', file], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^Error exit in enqueue \(bad_dsq_enqueue\) at [\d.]+ ms on cpu \d: non-existent DSQ 0x1 for \S+\[\d+\]$/m);
      const pid = /non-existent DSQ 0x1 for \S+\[(\d+)\]/.exec(r.stdout)![1];
      // the line of the scx_bpf_dsq_insert call (through the compat wrapper clang inlined)
      expect(r.stdout).toMatch(/^compat\.bpf\.h:\d+\treturn scx_bpf_dsq_insert___v2___compat\(p, dsq_id, slice, enq_flags\);$/m);
      expect(r.stdout).toContain(`(task_struct pid ${pid} +0x0)`);
      expect(r.stdout).toMatch(/script ended; the run ended at .* \(the scheduler was ejected\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('registers decode heap objects and map values; the memory viewer follows kptr fields to their objects', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scxray-debug-'));
    try {
      const src = readFileSync(join(REPO_ROOT, 'assets/schedulers/rbtree.bpf.c'), 'utf8').split('\n');
      const line = src.findIndex((l) => l.includes('node = bpf_obj_new(struct task_node);')) + 1;
      const file = join(dir, 'cmds');
      writeFileSync(file, 'regs\n');
      const args = [join(REPO_ROOT, 'bin/scxray.mjs'), 'debug', join(REPO_ROOT, 'assets/schedulers/rbtree.bpf.o'), '--break', `rbtree.bpf.c:${line}`, '--script', file];
      const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(0);
      const rs = regs(r.stdout);
      const stash = [...rs].find(([, v]) => /^map task_stashes value\[pid \d+\] \+0x0$/.test(v.ptr));
      const obj = [...rs].find(([, v]) => /^obj #\d+ struct task_ctx \+0x0$/.test(v.ptr));
      expect(stash).toBeDefined();
      expect(obj).toBeDefined();
      writeFileSync(file, `print *(struct task_stash *)${stash![0]}\nprint ((struct task_stash *)${stash![0]})->tctx->nr_enqueued\n`);
      const p = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
      const id = /obj #(\d+)/.exec(obj![1].ptr)![1];
      expect(p.stdout).toContain(`tctx (struct task_ctx *, +0x0) = ${obj![1].hex} (obj #${id} struct task_ctx +0x0) [kptr]`);
      expect(p.stdout).toMatch(/->tctx->nr_enqueued = 1$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const engine of ['jit', 'interp'] as const) {
    it(`--call (Debug this call) stops at a recorded op call with its recorded arguments and return value (${engine})`, () => {
      const bytes = new Uint8Array(readFileSync(join(REPO_ROOT, 'assets/schedulers/vtime.bpf.o')));
      const sim = new Simulation({ objectBytes: bytes, file: 'vtime.bpf.o', workload: 'interactive', cpus: 2, seed: 7, engine });
      const events: SimEvent[] = [];
      sim.on((e) => events.push(e));
      sim.runUntil(20_000_000);
      const i = events.findIndex((e) => e.kind === 'op' && e.op === 'select_cpu' && e.t > 5_000_000);
      const ev = events[i] as Extract<SimEvent, { kind: 'op' }>;
      const t = targetOf(events, i);
      const dir = mkdtempSync(join(tmpdir(), 'scxray-debug-'));
      try {
        const file = join(dir, 'cmds');
        writeFileSync(file, 'args\nfinish\n');
        const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/scxray.mjs'), 'debug', join(REPO_ROOT, 'assets/schedulers/vtime.bpf.o'), '-w', 'interactive', '-c', '2', '-s', '7', '--engine', engine,
          '--call', `${t.t}:${t.op}:${t.cpu}:${t.pid}:${t.nth}`, '--script', file], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Call select_cpu at ${ev.t} ns on CPU ${ev.cpu} \\(pid ${ev.pid}\\), select_cpu \\(vtime_select_cpu\\)`, 'm'));
        const listed = r.stdout.split('(scxray) args\n')[1]!.split('(scxray) finish')[0]!;
        const args = [...listed.matchAll(/^\S[^=\n]* (\w+) = (\S+)/gm)].map((m) => m[2]!);
        expect(listed).toMatch(/^struct task_struct \* p = 0x[0-9a-f]+ \(task_struct pid \d+ \+0x0\)$/m);
        expect(listed).toMatch(/^s32 prev_cpu = /m);
        expect(args[0]).toMatch(/^0x[0-9a-f]+$/); // p
        expect(args.slice(1).map((a) => BigInt(a).toString())).toEqual(ev.args.map((a) => BigInt(a).toString()));
        expect(r.stdout).toMatch(new RegExp(`^Returned from select_cpu \\(vtime_select_cpu\\) at [\\d.]+ ms on cpu ${ev.cpu}: r0 = ${ev.ret} `, 'm'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('print reports what it cannot evaluate and goes on with the script', () => {
    const r = debug(['--break', 'enqueue'], 'print p->nosuch\nprint q\nprint p->scx.weight\n');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^error: struct task_struct has no field 'nosuch' \(fields: /m);
    expect(r.out).toMatch(/^error: no variable, register or constant named 'q'$/m);
    expect(r.out).toMatch(/^p->scx\.weight = 100 \(0x64\)$/m);
  });
});

// `scxray run` end to end (the CLI lives in src/main/cli/run.ts): the JSON
// summary fields, and exit codes 0 (ran to the end), 1 (ejected), 2 (bad input).

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { REPO_ROOT, simFixture } from './testing/fixtures';
import { TraceReader } from './trace/reader';
import type { TraceObjectLabels } from './trace/labels';

function run(args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/scxray.mjs'), 'run', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('scxray run', () => {
  it('prints the JSON summary and exits 0 when the scheduler runs to the end, and records a trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scxray-run-'));
    try {
      const trace = join(dir, 'run.scxtrace');
      const r = run(['assets/schedulers/vtime.bpf.o', '--workload', 'cpu-hogs', '--cpus', '2', '--duration', '200ms', '--seed', '3', '--json', '--record', trace]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const s = JSON.parse(r.out);
      expect(s.scheduler).toBe('vtime');
      expect(s.exit).toMatchObject({ kind: 'none', ejected: false });
      expect(s.tasks).toHaveLength(8);
      expect(Object.keys(s.tasks[0])).toEqual(expect.arrayContaining(['pid', 'comm', 'weight', 'runtimeNs', 'waitNs', 'runs']));
      expect(s.cpus.map((c: { busyNs: number }) => c.busyNs)).toEqual([200_000_000, 200_000_000]);
      expect(s.latencyNs.p99).toBeGreaterThanOrEqual(s.latencyNs.p50);
      expect(s.latencyNs.max).toBeGreaterThanOrEqual(s.latencyNs.p99);
      expect(Array.isArray(s.diagnostics)).toBe(true);
      expect(existsSync(trace) && statSync(trace).size).toBeGreaterThan(100);
      // the header labels programs, maps and source lines (objectLabels), so the trace shows source without the .bpf.o
      const reader = TraceReader.open(trace);
      try {
        const labels = reader.header.labels as unknown as TraceObjectLabels;
        expect(labels.programs.map((p) => p.name)).toContain('vtime_enqueue');
        expect(labels.maps.length).toBeGreaterThan(0);
        expect(labels.lines['vtime_enqueue']!.line.length).toBeGreaterThan(0);
        expect(labels.files.some((f) => f.endsWith('vtime.bpf.c'))).toBe(true);
      } finally {
        reader.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a workload that cannot make progress even after the ejection stops with one line and the summary, not a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scxray-pingpong-'));
    try {
      // Two tasks that wake each other and wait, in steps that take no time.
      const w = join(dir, 'pingpong.json');
      writeFileSync(w, JSON.stringify({ name: 'pingpong', groups: [{ name: 'c', count: 2, steps: [{ wake: 'c', which: 'next' }, { wait: true }] }] }));
      const r = run([join(REPO_ROOT, 'assets/schedulers/buggy/lost_task.bpf.o'), '-w', w, '-c', '1', '-d', '5s']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^scxray run: stopped at [\d.]+s: the workload makes no progress .*give one of those steps a run or sleep duration/m);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out).toMatch(/EJECTED SCX_EXIT_ERROR_STALL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with the exit info and source line when the scheduler is ejected', () => {
    const r = run(['assets/schedulers/buggy/bad_dsq.bpf.o', '--cpus', '2', '--duration', '50ms', '--json']);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.out);
    expect(s.exit).toMatchObject({ kind: 'SCX_EXIT_ERROR', reason: 'runtime error', ejected: true });
    expect(s.exit.message).toMatch(/non-existent DSQ/);
    expect(s.exit.line).toBeGreaterThan(0);
    expect(s.diagnostics[0]).toMatchObject({ kind: 'refused' });
  });

  it('a BPF fault in a timer callback: the summary is printed with the exit info and source line, exit code 1', () => {
    simFixture('timer_fault');
    const r = run(['test/bpf/build/sim/timer_fault.bpf.o', '--cpus', '2', '--duration', '20ms', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const s = JSON.parse(r.out);
    expect(s.exit).toMatchObject({ kind: 'SCX_EXIT_ERROR', ejected: true, program: 'tf_timerfn' });
    expect(s.exit.message).toMatch(/^BPF fault \(null\)/);
    expect(s.exit.line).toBeGreaterThan(0);
    const text = run(['test/bpf/build/sim/timer_fault.bpf.o', '--cpus', '2', '--duration', '20ms']);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/^scheduler timer_fault: EJECTED SCX_EXIT_ERROR \(runtime error\): BPF fault \(null\)/);
    expect(text.out).toMatch(new RegExp(`\\[tf_timerfn:${s.exit.line}\\]\n`));
    expect(text.out).toMatch(/^virtual time 20\.00ms/m);
  });

  it('scx_softlockup: a scheduler livelocked at one instant is ejected at the default bound and the run finishes (exit 1), even at --duration 1ms', () => {
    simFixture('kick_self');
    const r = run(['test/bpf/build/sim/kick_self.bpf.o', '--set', 'kick_in_running=true', '--cpus', '2', '--duration', '1ms', '--json']);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.out);
    expect(s.exit).toMatchObject({ kind: 'SCX_EXIT_ERROR', ejected: true });
    expect(s.exit.message).toMatch(/^scheduler livelock: \d+ reschedules at t=0\.000000ms without progress; last ops /);
    expect(s.durationNs).toBe(1_000_000);
  });

  it('--heap prints the heap the run left: live objects by owner (text), and heap.text/heap.objects in --json', () => {
    const text = run(['assets/schedulers/list.bpf.o', '--cpus', '2', '--duration', '30ms', '--heap']);
    expect(text.code).toBe(0);
    const m = /^heap: (\d+) live objects$/m.exec(text.out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(text.out).toMatch(/^ {2}list map levels\[\d\]\.tasks: \d+$/m);
    expect(text.out).toMatch(/^ {4}obj \d+ struct queued_task \(32 B\) \{pid=\d+\} from list_enqueue:\d+$/m);
    const j = run(['assets/schedulers/list.bpf.o', '--cpus', '2', '--duration', '30ms', '--heap', '--json']);
    expect(j.code).toBe(0);
    const s = JSON.parse(j.out);
    expect(s.heap.objects).toHaveLength(s.heap.live);
    expect(s.heap.objects[0]).toMatchObject({ type: 'struct queued_task', owner: { kind: 'list_head' } });
    expect(s.heap.text).toBe(text.out.slice(text.out.indexOf('heap: ', text.out.indexOf('\n\n  pid'))).trimEnd());
    // without --heap the summary keeps only the counts
    const plain = JSON.parse(run(['assets/schedulers/list.bpf.o', '--cpus', '2', '--duration', '30ms', '--json']).out);
    expect(plain.heap.text).toBeUndefined();
    expect(plain.heap.live).toBe(s.heap.live);
  });

  it('exits 2 for bad input and names the problem', () => {
    expect(run(['missing.bpf.o']).code).toBe(2);
    const w = run(['assets/schedulers/fifo.bpf.o', '--workload', 'no-such-preset']);
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/no workload preset or file "no-such-preset"/);
    const c = run(['assets/schedulers/fifo.bpf.o', '--cpus', '999']);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/--cpus must be an integer from 1 to 256/);
  });
});

// The trace importers on traces captured on this project's build machine
// (test/traces, see docs/workloads.md): task counts, per-task runtime
// against the trace's own sums, wakeup edges, forks and exits, filters, the
// Perfetto JSON wrapper, and bad input naming the line.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { REPO_ROOT } from '../../testing/fixtures';
import { importTraceBytes, importTraceText, TraceImportError } from './index';
import { traceToWorkload } from './to_workload';
import { traceFigures } from './figures';
import { validateWorkload } from '../load';
import type { Step, Workload } from '../schema';

const PERF = join(REPO_ROOT, 'test/traces/clang-build.perf.txt');
const FTRACE = join(REPO_ROOT, 'test/traces/bpf-build.ftrace.txt.gz');
const perfText = readFileSync(PERF, 'utf8');
const ftraceText = gunzipSync(readFileSync(FTRACE)).toString('utf8');

const runOf = (steps: Step[]): number => steps.reduce((a, s) => a + ('run' in s && s.run.dist === 'fixed' ? s.run.value : 0), 0);
const group = (w: Workload, name: string) => {
  const g = w.groups.find((x) => x.name === name);
  if (!g) throw new Error(`no group ${name}`);
  return g;
};

/**
 * Per-task on-CPU time straight from the sched_switch lines: on each CPU,
 * from the switch that put a task on to the one that took it off. Written
 * apart from the importer, as the trace's own sums.
 */
function switchSums(text: string): Map<number, number> {
  const on = new Map<string, { pid: number; t: number }>();
  const sums = new Map<number, number>();
  for (const line of text.split('\n')) {
    const m = /\[(\d+)\]\s+(?:\S+\s+)?(\d+)\.(\d+):\s+(?:sched:)?sched_switch: .* prev_pid=(\d+) .* next_pid=(\d+) /.exec(line);
    if (!m) continue;
    const t = Number(m[2]) * 1e9 + Number(m[3]!.padEnd(9, '0'));
    const cur = on.get(m[1]!);
    if (cur && cur.pid === Number(m[4]) && cur.pid !== 0) sums.set(cur.pid, (sums.get(cur.pid) ?? 0) + t - cur.t);
    on.set(m[1]!, { pid: Number(m[5]), t });
  }
  return sums;
}

/** Tasks whose whole life is in the trace: forked and exited inside it. */
function wholeLifeTasks(w: Workload): number[] {
  return w.groups.filter((g) => g.trace!.partial === undefined).map((g) => g.trace!.pid);
}

describe('perf sched record fixture (perf script --ns --header -I)', () => {
  const { trace, statRuntimeNs } = importTraceText(perfText, PERF);
  const w = validateWorkload(traceToWorkload(trace, { name: 'clang-build' }), PERF);

  it('reads the header: CPU count and topology of the traced machine', () => {
    expect(trace.format).toBe('perf');
    expect(trace.machine).toEqual({ cpus: 2, smt: 1, numa: 2 });
    expect(w.cpus).toBe(2);
    expect(w.origin).toMatchObject({ format: 'perf', smt: 1, numa: 2, excluded: 0 });
  });

  it('has one group per traced task, kernel threads marked and per-CPU ones pinned', () => {
    const pids = new Set<number>();
    for (const m of perfText.matchAll(/\b(?:prev_pid|next_pid|pid|child_pid)=(\d+)/g)) if (m[1] !== '0') pids.add(Number(m[1]));
    expect(w.groups).toHaveLength(pids.size);
    expect(w.groups.map((g) => g.trace!.pid).sort((a, b) => a - b)).toEqual([...pids].sort((a, b) => a - b));
    expect(group(w, 'ksoftirqd/1-22')).toMatchObject({ cpus: [1], trace: { kthread: true } });
    expect(group(w, 'rcu_preempt-15').trace!.kthread).toBe(true);
    expect(group(w, 'clang-19-11988').trace!.kthread).toBe(false);
    // migration/N runs at prio 0 (SCHED_FIFO 99): replayed at nice -20, marked real-time
    expect(group(w, 'migration/0-18')).toMatchObject({ nice: -20, trace: { realtime: true } });
  });

  it('replays each task for the CPU time the trace shows', () => {
    const own = switchSums(perfText);
    const fig = new Map(traceFigures(trace).tasks.map((t) => [t.pid, t.runtimeNs]));
    let checked = 0;
    for (const g of w.groups) {
      const pid = g.trace!.pid;
      // the figures the comparison prints count the same time as the replay
      expect(runOf(g.steps)).toBe(fig.get(pid) ?? 0);
      const ref = own.get(pid) ?? 0;
      if (g.trace!.partial === undefined && ref > 1e6) {
        expect(Math.abs(runOf(g.steps) - ref) / ref, g.name).toBeLessThan(0.01);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it('agrees with the kernel\'s own sched_stat_runtime sums within 2% (IRQ time is not task time there)', () => {
    let checked = 0;
    for (const pid of wholeLifeTasks(w)) {
      const st = statRuntimeNs.get(pid) ?? 0;
      if (st < 5e6) continue;
      const g = w.groups.find((x) => x.trace!.pid === pid)!;
      expect(Math.abs(runOf(g.steps) - st) / st, g.name).toBeLessThan(0.02);
      checked++;
    }
    // the two clang-19 compiles
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  it('turns wakeups by replayed tasks into wake/wait pairs and forks into fork steps', () => {
    const wakes = w.groups.flatMap((g) => g.steps.filter((s): s is Extract<Step, { wake: string }> => 'wake' in s).map((s) => s.wake));
    const waits = w.groups.reduce((a, g) => a + g.steps.filter((s) => 'wait' in s).length + (g.startBlocked ? 1 : 0), 0);
    expect(wakes.length).toBeGreaterThan(50);
    // every wakeup edge has exactly one blocked wakee waiting for it
    expect(waits).toBe(wakes.length);
    // line 26-27: sh 11986 forks 11988 and 11989 (the two clang-19 compiles), then exec's basename etc.
    const sh = group(w, 'sh-11986');
    expect(sh.steps.filter((s) => 'fork' in s).map((s) => (s as { fork: string }).fork)).toEqual(expect.arrayContaining(['clang-19-11988', 'clang-19-11989']));
    expect(group(w, 'clang-19-11988')).toMatchObject({ template: true, startBlocked: false });
    expect(group(w, 'clang-19-11988').steps.at(-1)).toEqual({ exit: true });
  });
});

describe('ftrace fixture (/sys/kernel/tracing instance, gzip)', () => {
  const { trace } = importTraceBytes(readFileSync(FTRACE), FTRACE);
  const w = validateWorkload(traceToWorkload(trace, { name: 'bpf-build' }), FTRACE);

  it('reads the #P header, every task, and the exits', () => {
    expect(trace.format).toBe('ftrace');
    expect(trace.machine.cpus).toBe(2);
    const pids = new Set<number>();
    for (const m of ftraceText.matchAll(/\b(?:prev_pid|next_pid|pid|child_pid)=(\d+)/g)) if (m[1] !== '0') pids.add(Number(m[1]));
    expect(w.groups).toHaveLength(pids.size);
    const exited = new Set([...ftraceText.matchAll(/sched_process_exit: comm=.* pid=(\d+)/g)].map((m) => Number(m[1])));
    const withExit = w.groups.filter((g) => g.steps.some((s) => 'exit' in s)).map((g) => g.trace!.pid);
    expect(new Set(withExit)).toEqual(exited);
  });

  it('per-task runtime within 1% of the sched_switch sums for tasks whose whole life is traced', () => {
    const own = switchSums(ftraceText);
    let checked = 0;
    for (const pid of wholeLifeTasks(w)) {
      const ref = own.get(pid) ?? 0;
      if (ref < 1e6) continue;
      const g = w.groups.find((x) => x.trace!.pid === pid)!;
      expect(Math.abs(runOf(g.steps) - ref) / ref, g.name).toBeLessThan(0.01);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it('wakeup edge from a task context, a timed sleep from interrupt context', () => {
    // "ls-13384 [001] d..3. sched_waking: comm=head pid=13385" — ls wakes head (the pipe reader)
    expect(group(w, 'ls-13384').steps).toContainEqual({ wake: 'head-13385', which: 'same' });
    // "clang-19-13394 [000] d.h2. sched_waking: comm=tokio-rt-worker pid=71": hardirq, so not clang's doing
    const clang = group(w, 'clang-19-13394');
    expect(clang.steps).not.toContainEqual({ wake: 'tokio-rt-worker-71', which: 'same' });
  });

  it('--no-kthreads leaves kernel threads out; their wakeups become sleeps', () => {
    const all = traceToWorkload(trace, { name: 'x' });
    const user = validateWorkload(traceToWorkload(trace, { name: 'x', filter: { kthreads: false } }), FTRACE);
    const kthreads = all.groups.filter((g) => g.trace!.kthread).length;
    expect(kthreads).toBeGreaterThan(3);
    expect(user.groups).toHaveLength(all.groups.length - kthreads);
    expect(user.origin!.excluded).toBe(kthreads);
    const names = new Set(user.groups.map((g) => g.name));
    for (const g of user.groups) for (const s of g.steps) if ('wake' in s) expect(names.has(s.wake)).toBe(true);
    // the same CPU time is replayed for the tasks kept
    for (const g of user.groups) expect(runOf(g.steps)).toBe(runOf(all.groups.find((x) => x.name === g.name)!.steps));
  });

  it('the same text wrapped as Perfetto JSON (systemTraceEvents) imports the same', () => {
    const json = JSON.stringify({ traceEvents: [], systemTraceEvents: ftraceText });
    const r = importTraceText(json, 'wrapped.json');
    expect(r.trace.format).toBe('perfetto-json');
    const w2 = traceToWorkload(r.trace, { name: 'bpf-build' });
    expect(w2.groups.map((g) => [g.name, runOf(g.steps)])).toEqual(w.groups.map((g) => [g.name, runOf(g.steps)]));
  });
});

describe('one capture three ways: the ftrace file, trace-cmd report, trace-cmd report -l', () => {
  const at = (f: string) => join(REPO_ROOT, 'test/traces', f);
  const raw = traceToWorkload(importTraceBytes(readFileSync(at('fifo-build.ftrace.txt.gz')), 'raw').trace, { name: 'x' });
  const report = traceToWorkload(importTraceBytes(readFileSync(at('fifo-build.trace-cmd.txt.gz')), 'report').trace, { name: 'x' });
  const latency = traceToWorkload(importTraceBytes(readFileSync(at('fifo-build.trace-cmd-l.txt.gz')), 'report -l').trace, { name: 'x' });

  it('report -l (with the flags column) gives exactly the workload of the ftrace file', () => {
    expect(raw.groups.length).toBe(84);
    expect(latency.groups).toEqual(raw.groups);
    expect(latency.cpus).toBe(2);
  });

  it('plain report (no flags) has the same tasks and CPU time; interrupt wakeups become edges from the interrupted task', () => {
    expect(report.groups.map((g) => [g.name, runOf(g.steps)])).toEqual(raw.groups.map((g) => [g.name, runOf(g.steps)]));
    const edges = (w: Workload) => w.groups.reduce((a, g) => a + g.steps.filter((s) => 'wake' in s).length, 0);
    expect(edges(report)).toBeGreaterThan(edges(raw));
  });
});

describe('bad input names the file and line', () => {
  const err = (f: () => unknown): TraceImportError => {
    try {
      f();
    } catch (e) {
      if (e instanceof TraceImportError) return e;
      throw e;
    }
    throw new Error('no error');
  };
  const lines = perfText.split('\n');

  it('a garbage line in the middle', () => {
    const bad = [...lines.slice(0, 100), 'this is not a trace line', ...lines.slice(100)].join('\n');
    const e = err(() => importTraceText(bad, 'mid.txt'));
    expect(e.line).toBe(101);
    expect(e.message).toMatch(/^mid\.txt:101: not a trace event line .*"this is not a trace line"/);
  });

  it('a file cut in the middle of a sched_switch line', () => {
    const i = lines.findIndex((l, n) => n > 200 && l.includes('sched_switch'));
    const cut = [...lines.slice(0, i), lines[i]!.slice(0, lines[i]!.indexOf('==>') + 4)].join('\n');
    const e = err(() => importTraceText(cut, 'cut.txt'));
    expect(e.line).toBe(i + 1);
    expect(e.message).toContain('sched_switch: fields do not parse');
    expect(e.message).toContain('the file may be truncated');
  });

  it('a bad field value', () => {
    const i = lines.findIndex((l) => l.includes('sched:sched_migrate_task:'));
    const bad = lines.map((l, n) => (n === i ? l.replace(/orig_cpu=\d+/, 'orig_cpu=x') : l)).join('\n');
    const e = err(() => importTraceText(bad, 'field.txt'));
    expect(e.line).toBe(i + 1);
    expect(e.message).toContain('expected "comm= pid= prio= orig_cpu= dest_cpu="');
  });

  it('truncated gzip, truncated JSON, JSON without scheduler data, perf.data, nothing at all', () => {
    const gz = readFileSync(FTRACE);
    expect(err(() => importTraceBytes(gz.subarray(0, gz.length / 2), 'half.gz')).message).toMatch(/^half\.gz: gzip data does not unpack .*truncated/);
    const json = JSON.stringify({ systemTraceEvents: ftraceText.slice(0, 5000) }, null, 1);
    expect(err(() => importTraceText(json.slice(0, json.length - 10), 'cut.json')).message).toMatch(/^cut\.json:\d+: not valid JSON/);
    expect(err(() => importTraceText('{"traceEvents": []}', 'x.json')).message).toContain('no "systemTraceEvents"');
    expect(err(() => importTraceBytes(new TextEncoder().encode('PERFILE2\0\0\0\0'), 'perf.data')).message).toContain('perf script -i FILE');
    expect(err(() => importTraceText('# tracer: nop\n#\n', 'empty.txt')).message).toContain('no scheduler events');
    expect(err(() => importTraceBytes(gzipSync('garbage\n'), 'g.gz')).message).toMatch(/^g\.gz:1: not a trace event line/);
  });
});

// Every bad input the hardening issue (#18) found on the command line gets one
// line on stderr naming the file (or option) and the problem, and exit 2 (the
// README keeps exit 1 for an ejected scheduler) — never a stack trace. Also
// `run --record --max-trace-size`: the run stops cleanly with the trace intact.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../sim/testing/fixtures';
import { TraceReader } from '../../sim/trace/reader';

const FIFO = join(REPO_ROOT, 'assets/schedulers/fifo.bpf.o');
const TRACE = join(REPO_ROOT, 'assets/traces/rbtree-interactive.scxtrace');
const dir = mkdtempSync(join(tmpdir(), 'scxray-badinput-'));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/scxray.mjs'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** One line on stderr, exit 2, no stack frames. */
function expectOneLine(r: { code: number | null; err: string }, pattern: RegExp): void {
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.err.trimEnd().split('\n'), r.err).toHaveLength(1);
  expect(r.err.trimEnd()).toMatch(pattern);
  expect(r.code).toBe(2);
}

describe('one line and exit 2 for every bad input (#18 point 7)', () => {
  const wdir = join(dir, 'workloads');
  mkdirSync(wdir);
  const bomb = join(dir, 'bomb.json');
  writeFileSync(bomb, JSON.stringify({ name: 'bomb', groups: [{ name: 'w', cpus: '0-4294967296', steps: [{ run: '1ms' }] }] }));

  const cases: [string, string[], RegExp][] = [
    ['run -w DIR', ['run', FIFO, '-d', '10ms', '-w', wdir], /^scxray run: .*workloads: is a directory, not a workload JSON file$/],
    ['a workload CPU list past the machine', ['run', FIFO, '-d', '10ms', '-w', bomb], /^scxray run: .*bomb\.json: invalid workload: groups\.0\.cpus: CPU 0-4294967296 is beyond the largest machine \(CPUs 0-255\)$/],
    ['run --record in a missing directory', ['run', FIFO, '-d', '10ms', '--record', '/nonexistent/dir/x'], /^scxray run: --record \/nonexistent\/dir\/x: cannot create the trace: no such file or directory$/],
    ['run --record DIR', ['run', FIFO, '-d', '10ms', '--record', dir], /^scxray run: --record .*: cannot create the trace: is a directory$/],
    ['replay DIR', ['replay', dir], /^scxray replay: .*: is a directory, not a trace file$/],
    ['export -o in a missing directory', ['export', TRACE, '-o', '/nonexistent/dir/x.json'], /^scxray export: \/nonexistent\/dir\/x\.json: cannot write the output: no such file or directory$/],
    ['inspect DIR', ['inspect', dir], /^scxray inspect: cannot read .*: is a directory$/],
    ['run DIR as the object', ['run', dir, '-d', '10ms'], /^scxray run: .*: cannot read the scheduler object \(is a directory\)$/],
    ['run a missing object', ['run', join(dir, 'missing.bpf.o'), '-d', '10ms'], /^scxray run: .*missing\.bpf\.o: cannot read the scheduler object \(no such file or directory\)$/],
  ];
  for (const [name, args, pattern] of cases) {
    it(name, () => expectOneLine(cli(args), pattern));
  }

  it.skipIf(process.getuid?.() === 0)('an unreadable object (not testable as root, who reads any file)', () => {
    const obj = join(dir, 'secret.bpf.o');
    writeFileSync(obj, 'x');
    chmodSync(obj, 0);
    expectOneLine(cli(['inspect', obj]), /^scxray inspect: cannot read .*secret\.bpf\.o: permission denied$/);
    expectOneLine(cli(['run', obj, '-d', '10ms']), /^scxray run: .*secret\.bpf\.o: cannot read the scheduler object \(permission denied\)$/);
  });
});

describe('refused instead of accepted silently (#18 point 8)', () => {
  it('--kernel-version banana names the valid releases', () => {
    expectOneLine(cli(['run', FIFO, '-d', '10ms', '--kernel-version', 'banana']), /^scxray run: kernel version "banana" is not a release number; give one such as 6\.12, 6\.13 or 6\.19\.0 \(6\.12\.0 or later\)$/);
    expectOneLine(cli(['inspect', FIFO, '--kernel-version', 'banana']), /^scxray inspect: kernel version "banana" is not a release number/);
    expectOneLine(cli(['run', FIFO, '-d', '10ms', '--kernel-version', '5.15']), /has no sched_ext \(it first shipped in 6\.12\)/);
  });

  it('--smt 3 -c 4 names the valid SMT sizes', () => {
    expectOneLine(cli(['run', FIFO, '-d', '10ms', '--smt', '3', '-c', '4']), /^scxray run: smt \(CPUs per SMT core\) 3 does not divide the 4 CPUs evenly; with 4 CPUs choose one of 1, 2, 4$/);
  });

  it('-c past the largest machine names the range', () => {
    expectOneLine(cli(['run', FIFO, '-d', '10ms', '-c', '257']), /^scxray run: --cpus must be an integer from 1 to 256 \(got "257"\)$/);
  });
});

describe('run --record --max-trace-size (#18 point 9)', () => {
  it('stops the run cleanly at the budget and leaves a complete trace under it', () => {
    const out = join(dir, 'budget.scxtrace');
    const r = cli(['run', FIFO, '-w', 'fork-burst', '-c', '8', '-d', '4s', '--record', out, '--max-trace-size', '128K', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^scxray run: stopped at (\d+\.\d{3})s of 4\.000s: the trace reached its --max-trace-size budget of 128K; .*budget\.scxtrace is complete up to there$/m);
    const stoppedAt = Number(/stopped at (\d+\.\d+)s/.exec(r.err)![1]);
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(4);
    expect(statSync(out).size).toBeLessThanOrEqual(128 * 1024);
    const reader = TraceReader.open(out);
    try {
      expect(reader.recovery.complete).toBe(true);
      expect(reader.eventCount).toBeGreaterThan(1000);
      expect(reader.duration / 1e9).toBeCloseTo(stoppedAt, 1);
    } finally {
      reader.close();
    }
    // the JSON summary covers the time that was run
    expect(JSON.parse(r.out).durationNs / 1e9).toBeCloseTo(stoppedAt, 2);
  });

  it('refuses a size it cannot read, one too small, or a budget without --record', () => {
    expectOneLine(cli(['run', FIFO, '-d', '10ms', '--record', join(dir, 'a.scxtrace'), '--max-trace-size', 'lots']), /^scxray run: --max-trace-size expects a size such as 2G, 500M or 64K \(got "lots"\)$/);
    expectOneLine(cli(['run', FIFO, '-d', '10ms', '--record', join(dir, 'b.scxtrace'), '--max-trace-size', '1K']), /^scxray run: --max-trace-size 1K is too small: a trace needs at least 64K$/);
    expectOneLine(cli(['run', FIFO, '-d', '10ms', '--max-trace-size', '2G']), /^scxray run: --max-trace-size needs --record FILE$/);
  });
});

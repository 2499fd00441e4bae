// `scxray fuzz` with a fixed seed finds the planted stall (lost_task) and
// the planted leak (leak) within its budget, shrinks each to a workload of
// a few tasks that still fails the same way, and saves it with its seed and
// trace; the generator and the search are deterministic per seed.

import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fuzzCommand } from '../fuzz_command';
import { generateWorkload } from './generate';
import { candidates, loopsTakeTime } from './shrink';
import { validateWorkload } from '../../../sim/workload/load';
import { openScheduler } from '../../../api/index';
import { TraceReader } from '../../../sim/trace/reader';
import { parseTime } from '../../../sim/trace/time_units';

const SCHED = new URL('../../../../assets/schedulers/', import.meta.url).pathname;

async function fuzz(object: string, extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; dir: string }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'scx-fuzz-')), 'out');
  let stdout = '';
  let stderr = '';
  const code = await fuzzCommand(object, { budget: '60s', seed: '1', cpus: '4', duration: '5s', shrinkRuns: '300', maxEvents: '500000', out: dir, ...extra }, (s) => (stdout += s), (s) => (stderr += s));
  return { code, stdout, stderr, dir };
}

interface Repro {
  seed: number;
  cpus: number;
  durationNs: number;
  failure: { kind: string; exit?: string; kinds?: string[]; at: number };
  found: { tasks: number };
  shrunk: { tasks: number; shrinkRuns: number };
}

describe('planted bugs', () => {
  it('finds the lost_task stall, shrinks it to a few tasks, saves workload, seed and trace', async () => {
    const r = await fuzz(SCHED + 'buggy/lost_task.bpf.o');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^found at case \d+ of seed 1 after \d+ runs .*: ejected: SCX_EXIT_ERROR_STALL/m);
    const repro = JSON.parse(readFileSync(join(r.dir, 'repro.json'), 'utf8')) as Repro;
    expect(repro.seed).toBe(1);
    expect(repro.failure).toMatchObject({ kind: 'ejection', exit: 'SCX_EXIT_ERROR_STALL' });
    expect(repro.shrunk.tasks).toBeLessThanOrEqual(3);
    expect(repro.shrunk.tasks).toBeLessThanOrEqual(repro.found.tasks);
    // the saved workload, rerun by hand with the printed options, still stalls
    const workload = JSON.parse(readFileSync(join(r.dir, 'workload.json'), 'utf8')) as Record<string, unknown>;
    validateWorkload(workload);
    const run = await (await openScheduler(SCHED + 'buggy/lost_task.bpf.o')).run({ workload, cpus: repro.cpus, seed: repro.seed, duration: repro.durationNs });
    expect(run.exit.kind).toBe('SCX_EXIT_ERROR_STALL');
    expect(run.tasks().length).toBe(repro.shrunk.tasks);
    run.close();
    const rerun = /^rerun: {2}npx scxray run (\S+) -w (\S+) -c (\d+) -d (\S+) -s 1$/m.exec(r.stdout)!;
    expect(resolve(rerun[1]!)).toBe(SCHED + 'buggy/lost_task.bpf.o');
    expect(resolve(rerun[2]!)).toBe(join(r.dir, 'workload.json'));
    expect(Number(rerun[3])).toBe(repro.cpus);
    expect(parseTime(rerun[4]!)).toBe(repro.durationNs);
    // the trace opens at the printed instant, where the exit is
    const [, trace, at] = /replay: npx scxray replay (\S+) --at (\S+)/.exec(r.stdout)!;
    expect(resolve(trace!)).toBe(join(r.dir, 'trace.scxtrace'));
    const reader = TraceReader.open(trace!);
    const t = parseTime(at!);
    expect(reader.events(t, t + 1, { kinds: ['exit'] })).toHaveLength(1);
    reader.close();
    expect(existsSync(join(r.dir, 'found.json'))).toBe(true);
  });

  it('the same seed finds and shrinks to the same workload again', async () => {
    const a = await fuzz(SCHED + 'buggy/lost_task.bpf.o', { seed: '4' });
    const b = await fuzz(SCHED + 'buggy/lost_task.bpf.o', { seed: '4' });
    expect(a.code).toBe(1);
    expect(readFileSync(join(a.dir, 'workload.json'), 'utf8')).toBe(readFileSync(join(b.dir, 'workload.json'), 'utf8'));
    expect(readFileSync(join(a.dir, 'repro.json'), 'utf8')).toBe(readFileSync(join(b.dir, 'repro.json'), 'utf8'));
    expect(readFileSync(join(a.dir, 'trace.scxtrace'))).toEqual(readFileSync(join(b.dir, 'trace.scxtrace')));
  });

  it('finds the leak, and the shrunk workload keeps both planted diagnostics', async () => {
    const r = await fuzz(SCHED + 'buggy/leak.bpf.o');
    expect(r.code).toBe(1);
    const repro = JSON.parse(readFileSync(join(r.dir, 'repro.json'), 'utf8')) as Repro;
    expect(repro.failure.kind).toBe('diagnostic');
    expect(repro.failure.kinds).toEqual(['invalidated_ref', 'leak']);
    // the leak needs an even pid: at least two tasks, and no more than a few
    expect(repro.shrunk.tasks).toBeGreaterThanOrEqual(2);
    expect(repro.shrunk.tasks).toBeLessThanOrEqual(3);
    const workload = JSON.parse(readFileSync(join(r.dir, 'workload.json'), 'utf8')) as Record<string, unknown>;
    const run = await (await openScheduler(SCHED + 'buggy/leak.bpf.o')).run({ workload, cpus: repro.cpus, seed: repro.seed, duration: repro.durationNs });
    expect(run.diagnostics.map((d) => d.kind)).toContain('leak');
    run.close();
  });

  it('a correct scheduler survives the same seed: exit 0 after the given number of runs', async () => {
    const r = await fuzz(SCHED + 'vtime.bpf.o', { runs: '3', duration: '300ms' });
    expect(r.stdout).toMatch(/^no failure in 3 generated workloads \(.*seed 1\)$/m);
    expect(r.code).toBe(0);
  });

  it('--spec: a violated expectation is a failure too, and shrinking keeps that expectation failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scx-fuzz-spec-'));
    const spec = join(dir, 'busy.scx.yaml');
    writeFileSync(spec, 'object: unused.bpf.o\nmatrix: { workloads: [cpu-hogs] }\nexpect: { utilisation: { above: 0.999, each: true } }\n');
    const r = await fuzz(SCHED + 'vtime.bpf.o', { spec, duration: '300ms' });
    expect(r.code).toBe(1);
    const repro = JSON.parse(readFileSync(join(r.dir, 'repro.json'), 'utf8')) as Repro & { failure: { expectation?: string } };
    expect(repro.failure).toMatchObject({ kind: 'expectation', expectation: 'utilisation' });
    expect(repro.shrunk.tasks).toBeLessThanOrEqual(3);
    expect(r.stdout).toMatch(/expectation utilisation failed: CPU \d+ at [\d.]+% below 99\.9%/);
  });

  it('bad options exit 2 naming the option', async () => {
    const r = await fuzz(SCHED + 'vtime.bpf.o', { budget: 'forever' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^scxray fuzz: --budget: bad duration "forever"/);
    const k = await fuzz(SCHED + 'vtime.bpf.o', { kernelVersion: 'banana' });
    expect(k.code).toBe(2);
    expect(k.stderr).toMatch(/^scxray fuzz: kernel version "banana" is not a release number/);
  });
});

describe('generator and shrinker', () => {
  it('is deterministic per seed and case, and differs across them', () => {
    expect(generateWorkload(5, 3, 4)).toEqual(generateWorkload(5, 3, 4));
    expect(JSON.stringify(generateWorkload(5, 3, 4))).not.toBe(JSON.stringify(generateWorkload(6, 3, 4)));
    expect(JSON.stringify(generateWorkload(5, 3, 4))).not.toBe(JSON.stringify(generateWorkload(5, 4, 4)));
  });

  it('generates valid workloads covering the promised features', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const w = generateWorkload(1, i, 8);
      validateWorkload(w);
      expect(loopsTakeTime(w)).toBe(true);
      if (w.hotplug?.length) seen.add('hotplug');
      if (w.cgroups?.length) seen.add('cgroups');
      for (const g of w.groups) {
        if (g.cpus) seen.add('affinity');
        if (g.nice) seen.add('nice');
        if (g.template && g.repeat) seen.add('fork+exit');
        for (const s of g.steps) for (const k of Object.keys(s)) seen.add(k);
      }
    }
    for (const f of ['hotplug', 'cgroups', 'affinity', 'nice', 'fork+exit', 'run', 'sleep', 'period', 'wait', 'wake', 'fork', 'yield', 'renice', 'cgroup', 'cgroupWeight']) expect(seen).toContain(f);
  });

  it('shrinking candidates are smaller, valid, and never a zero-time loop', () => {
    for (let i = 0; i < 30; i++) {
      const w = generateWorkload(2, i, 4);
      const size = JSON.stringify(w).length;
      for (const c of candidates({ workload: w, cpus: 4 })) {
        expect(loopsTakeTime(c.workload)).toBe(true);
        expect(JSON.stringify(c.workload).length <= size || c.cpus < 4).toBe(true);
      }
    }
  });
});

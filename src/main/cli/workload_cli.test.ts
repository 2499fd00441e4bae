// `scxray workload import` and `scxray run --compare / --export-sched` end to
// end on the captured fixtures: files written, summaries printed, exit 2 with
// the file and line for bad input.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { REPO_ROOT } from '../../../test/support/bpf';

function scxray(args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/scxray.mjs'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('scxray workload import / run --compare', () => {
  it('imports a perf capture, runs it against fifo and compares with the original', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scxray-import-'));
    try {
      const w = join(dir, 'w.json');
      const imp = scxray(['workload', 'import', 'test/traces/clang-build.perf.txt', '-o', w, '--exclude-comm', '^perf']);
      expect(imp.code).toBe(0);
      expect(imp.err).toMatch(/clang-build\.perf\.txt: perf, \d+ scheduler events over 198\.2 ms/);
      expect(imp.err).toMatch(/machine: 2 CPUs/);
      expect(imp.err).toMatch(/tasks: 69 replayed \(11 kernel threads, .*\), 1 left out by filters/);
      const workload = JSON.parse(readFileSync(w, 'utf8'));
      expect(workload.groups.some((g: { comm: string }) => g.comm.startsWith('perf'))).toBe(false);

      const out = join(dir, 'run.json');
      // no --cpus: the imported workload's traced machine (2 CPUs)
      const r = scxray(['run', 'assets/schedulers/fifo.bpf.o', '-w', w, '--duration', '200ms', '--compare', 'test/traces/clang-build.perf.txt', '--export-sched', out, '--json']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const s = JSON.parse(r.out);
      expect(s.cpus).toHaveLength(2);
      expect(s.compare.warnings).toEqual([]);
      expect(s.compare.tracedCpus).toBe(2);
      expect(s.compare.original.cpus).toHaveLength(2);
      expect(s.compare.tasks.find((t: { tracePid: number }) => t.tracePid === 11988)).toMatchObject({ comm: 'clang-19', original: { runtimeNs: 36209820 } });
      // the export is Perfetto JSON the importer reads back
      const back = scxray(['workload', 'import', out, '-o', join(dir, 'back.json')]);
      expect(back.code).toBe(0);
      expect(back.err).toMatch(/perfetto-json, \d+ scheduler events/);

      const text = scxray(['run', 'assets/schedulers/fifo.bpf.o', '-w', w, '--cpus', '2', '--duration', '200ms', '--compare', 'test/traces/clang-build.perf.txt']);
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/^compare: test\/traces\/clang-build\.perf\.txt \(perf, 2 CPUs\) against fifo on 2 CPUs/m);
      expect(text.out).toMatch(/^wakeup latency \(ms\)\s+[\d./]+\s+[\d./]+\s+p50\/p90\/p99\/max$/m);
      expect(text.out).toMatch(/^11988 clang-19\s+36\.21\//m);
      // a run on another machine size says the comparison is lopsided
      const four = scxray(['run', 'assets/schedulers/fifo.bpf.o', '-w', w, '--cpus', '4', '--duration', '50ms', '--compare', 'test/traces/clang-build.perf.txt']);
      expect(four.code).toBe(0);
      expect(four.out).toContain('warning: the trace is from 2 CPUs but the run simulated 4 (pass --cpus 2)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad input: exit 2 with the file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scxray-import-'));
    try {
      const bad = join(dir, 'bad.txt');
      const lines = readFileSync(join(REPO_ROOT, 'test/traces/clang-build.perf.txt'), 'utf8').split('\n');
      writeFileSync(bad, [...lines.slice(0, 60), '  oops [x] not an event', ...lines.slice(60)].join('\n'));
      const r = scxray(['workload', 'import', bad]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(`scxray workload import: ${bad}:61: not a trace event line`);
      const c = scxray(['run', 'assets/schedulers/fifo.bpf.o', '--compare', bad, '--duration', '10ms']);
      expect(c.code).toBe(2);
      expect(c.err).toContain(`scxray run: ${bad}:61: not a trace event line`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

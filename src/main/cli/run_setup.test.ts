// `scxray run --setup`: the setup module's hash and output are recorded in
// the trace (RunInfo.setup, printk events from program "setup" and
// "setup:every") and in the summary; a bad module is exit 2 with one line; a
// module failing after attach is exit 1 and the trace up to then is kept.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { REPO_ROOT } from '../../sim/testing/fixtures';
import { TraceReader } from '../../sim/trace/reader';
import { bpfFixturePath } from '../../../test/support/bpf';

const knobs = bpfFixturePath('test/bpf/setup/knobs.bpf.c');
const knobsSetup = join(REPO_ROOT, 'test/bpf/setup/knobs.setup.mjs');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/scxray.mjs'), 'run', knobs, '-c', '4', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('scxray run --setup', () => {
  it('records the module hash in the trace header and its output as events at their virtual times', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scxray-setup-'));
    try {
      const trace = join(dir, 'run.scxtrace');
      const r = run(['-d', '2500ms', '--setup', knobsSetup, '--record', trace, '--json']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const s = JSON.parse(r.out);
      expect(s.setup.file).toBe('knobs.setup.mjs');
      expect(s.setup.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(s.setup.log.filter((l: { text: string }) => l.text.startsWith('enqueued')).map((l: { t: number }) => l.t)).toEqual([1e9, 2e9]);
      const reader = TraceReader.open(trace);
      try {
        expect(reader.info.setup).toEqual({ file: 'knobs.setup.mjs', sha256: s.setup.sha256 });
        const printks = reader.events(0, 3e9).flatMap((e) => (e.kind === 'printk' && e.program.startsWith('setup') ? [`${e.t} ${e.program} ${e.text}`] : []));
        expect(printks).toContain('0 setup configured 4 cpus, 2 pairs');
        expect(printks).toContain('1000000000 setup:every every(1000ms) #1');
        expect(printks).toContain('2000000000 setup:every every(1000ms) #2');
        expect(printks.filter((p) => / setup enqueued \d+ pair0 \d+$/.test(p)).map((p) => p.split(' ')[0])).toEqual(['1000000000', '2000000000']);
      } finally {
        reader.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the text summary ends with the setup log', () => {
    const r = run(['-d', '1s', '--setup', knobsSetup]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\nsetup knobs\.setup\.mjs \(sha256 [0-9a-f]{12}\):\n\s+0\.000ms configured 4 cpus, 2 pairs\n/);
    expect(r.out).toMatch(/\n\s+1000\.000ms enqueued \d+ pair0 \d+\n/);
  });

  it('a module failing before load is exit 2 with one line naming its file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scxray-setup-'));
    try {
      const bad = join(dir, 'bad.mjs');
      writeFileSync(bad, 'export function beforeLoad(skel) {\n  skel.rodata.pair_cpu[12] = 1;\n}\n');
      const r = run(['-d', '10ms', '--setup', bad]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toBe('scxray run: bad.mjs:2: beforeLoad(skel): skel.rodata.pair_cpu[12]: index 12 is out of bounds (skel.rodata.pair_cpu is s32[8], indexes 0 to 7)\n');
      expect(run(['-d', '10ms', '--setup', join(dir, 'missing.mjs')]).err).toMatch(/^scxray run: cannot read setup module .*missing\.mjs: ENOENT/);
      expect(run(['-d', '10ms', '--setup', knobsSetup, '--setup-budget', 'soon']).err).toBe('scxray run: --setup-budget must be an integer number of ms from 1 to 600000 (got "soon")\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a module failing after attach is exit 1 (scheduler unregistered) and the trace keeps everything up to then and after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scxray-setup-'));
    try {
      const bad = join(dir, 'late.mjs');
      writeFileSync(bad, "export function afterAttach(skel) {\n  skel.every(200, ({ round }) => { if (round === 2) throw new Error('boom'); });\n}\n");
      const trace = join(dir, 'late.scxtrace');
      const r = run(['-d', '1s', '--setup', bad, '--record', trace, '--json']);
      expect(r.code).toBe(1);
      const s = JSON.parse(r.out);
      expect(s.exit).toMatchObject({ kind: 'SCX_EXIT_UNREG', message: 'the setup module failed: late.mjs:2: every(200ms) callback #2: boom' });
      expect(s.setup.failure).toBe('late.mjs:2: every(200ms) callback #2: boom');
      const reader = TraceReader.open(trace);
      try {
        expect(reader.endTime).toBe(1e9);
        const evs = reader.events(0, 1e9);
        expect(evs.some((e) => e.kind === 'printk' && e.t === 400_000_000 && e.text === 'error: late.mjs:2: every(200ms) callback #2: boom')).toBe(true);
        expect(evs.some((e) => e.kind === 'exit' && e.t === 400_000_000)).toBe(true);
        // tasks kept running after the scheduler left (the fallback policy): the run was not cut short
        expect(evs.some((e) => e.kind === 'switch' && e.t > 500_000_000)).toBe(true);
      } finally {
        reader.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

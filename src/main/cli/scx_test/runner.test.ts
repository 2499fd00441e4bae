// `scxray test` on the example schedulers and the planted-bug ones: passing
// specs pass; each planted bug fails the expectation that should catch it,
// with exit code 1 and a kept trace that opens at the failing instant; the
// JUnit output validates against test/schema/junit.xsd (libxml2 through
// xmllint-wasm) and the TAP output parses as TAP.

import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { validateXML } from 'xmllint-wasm';
import { Parser } from 'tap-parser';
import { testCommand } from '../test';
import { TraceReader } from '../../../sim/trace/reader';
import { parseTime } from '../../../sim/trace/time_units';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const XSD = readFileSync(join(ROOT, 'test/schema/junit.xsd'), 'utf8');

interface Out {
  code: number;
  stdout: string;
  stderr: string;
}

async function runTest(paths: string[], extra: Partial<{ reporter: string; junit: string; tap: string; artifacts: string; filter: string }> = {}): Promise<Out> {
  let stdout = '';
  let stderr = '';
  const code = await testCommand(paths, { reporter: 'summary', artifacts: mkdtempSync(join(tmpdir(), 'scx-art-')), ...extra }, (s) => (stdout += s), (s) => (stderr += s));
  return { code, stdout, stderr };
}

async function validJunit(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const r = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: XSD }] });
  return { valid: r.valid, errors: r.errors.map((e) => e.message) };
}

function parseTap(text: string): Promise<{ ok: boolean; pass: number; fail: number; count: number; failures: string[] }> {
  return new Promise((resolve) => {
    const p = new Parser((r) => resolve({ ok: r.ok, pass: r.pass, fail: r.fail, count: r.count, failures: r.failures.map((f) => f.name) }));
    p.end(text);
  });
}

describe('passing specs', () => {
  it('vtime and cgweight example specs pass: exit 0, every case PASS, JUnit valid with no failures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scx-rep-'));
    const junit = join(dir, 'report.xml');
    const tap = join(dir, 'report.tap');
    const r = await runTest([join(ROOT, 'assets/tests/vtime.scx.yaml'), join(ROOT, 'assets/tests/cgweight.scx.mjs')], { junit, tap });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // vtime: 2 specs x 2 seeds x 2 CPU counts; cgweight: 2 seeds x 2 CPU counts
    expect(r.stdout).toMatch(/^12 passed, 0 failed \(12 cases\)$/m);
    expect(r.stdout).not.toMatch(/FAIL|ERROR/);
    const v = await validJunit(readFileSync(junit, 'utf8'));
    expect(v.errors).toEqual([]);
    expect(v.valid).toBe(true);
    const t = await parseTap(readFileSync(tap, 'utf8'));
    expect(t).toMatchObject({ ok: true, pass: 12, fail: 0, count: 12 });
  });

  it('a TypeScript spec over every example scheduler passes on two kernels (filtered to fork-burst)', async () => {
    const r = await runTest([join(ROOT, 'assets/tests/examples.scx.ts')], { filter: 'fork-burst' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^12 passed, 0 failed \(12 cases\)$/m);
    expect(r.stdout).toContain('PASS  qmap [workload=fork-burst seed=1 cpus=4 kernel=6.12.0]');
  });

  it('a spec expecting exactly the leak example diagnostics passes', async () => {
    const r = await runTest([join(ROOT, 'test/scx/leak_expected.scx.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PASS  leak-exactly');
  });
});

describe('planted bugs', () => {
  let r: Out;
  let artifacts: string;
  let junitXml: string;
  let tapText: string;
  beforeAll(async () => {
    artifacts = mkdtempSync(join(tmpdir(), 'scx-art-'));
    const dir = mkdtempSync(join(tmpdir(), 'scx-rep-'));
    r = await runTest([join(ROOT, 'test/scx/buggy')], { artifacts, junit: join(dir, 'r.xml'), tap: join(dir, 'r.tap') });
    junitXml = readFileSync(join(dir, 'r.xml'), 'utf8');
    tapText = readFileSync(join(dir, 'r.tap'), 'utf8');
  });

  it('exit code 1 and every buggy case fails', () => {
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^0 passed, 4 failed \(4 cases\)$/m);
  });

  it('each planted bug fails the expectation that catches it', () => {
    const block = (name: string) => r.stdout.split(/\n(?=PASS|FAIL|ERROR)/).find((b) => b.startsWith(`FAIL  ${name} [`)) ?? '';
    expect(block('lost_task')).toMatch(/noEjection: ejected at [\d.]+s: SCX_EXIT_ERROR_STALL \(runnable task stall\)/);
    expect(block('bad_dsq')).toMatch(/noEjection: ejected at [\d.]+s: SCX_EXIT_ERROR .*non-existent DSQ 0x1.*\[bad_dsq_enqueue:\d+\]/);
    expect(block('leak')).toMatch(/diagnostics: 2 unexpected diagnostics \(invalidated_ref, leak\)/);
    expect(block('leak')).not.toContain('noEjection');
    expect(block('fifo-fairness')).toMatch(/fairness: by weight: pid \d+ .* tolerance 10\.0%/);
  });

  it('keeps each failing trace and prints a replay command that opens it at the failing instant', () => {
    const replays = [...r.stdout.matchAll(/replay: npx scxray replay (\S+) --at (\S+)/g)];
    expect(replays).toHaveLength(4);
    for (const [, trace, at] of replays) {
      expect(trace!.startsWith(artifacts)).toBe(true);
      expect(existsSync(trace!)).toBe(true);
      const reader = TraceReader.open(trace!);
      try {
        const t = parseTime(at!);
        expect(t).toBeLessThanOrEqual(reader.endTime);
        const state = reader.stateAt(t);
        expect(state.t).toBe(t);
        if (trace!.includes('lost_task') || trace!.includes('bad_dsq')) {
          // the instant is the ejection: the exit event is there
          expect(reader.events(t, t + 1, { kinds: ['exit'] })).toHaveLength(1);
        }
        if (trace!.includes('leak')) expect(reader.events(t, t + 1, { kinds: ['diagnostic'] }).length).toBeGreaterThan(0);
      } finally {
        reader.close();
      }
    }
    expect(r.stdout).toMatch(/UI: {5}npx scxray serve --open \S+\.scxtrace --at \S+/);
  });

  it('the JUnit report validates against the schema and carries one failure per failed expectation', async () => {
    const v = await validJunit(junitXml);
    expect(v.errors).toEqual([]);
    expect(junitXml).toContain('<testsuites name="scxray test" tests="4" failures="4" errors="0"');
    expect(junitXml.match(/<failure /g)).toHaveLength(4);
    expect(junitXml).toMatch(/<failure message="ejected at [^"]*SCX_EXIT_ERROR_STALL[^"]*" type="noEjection">/);
    // the schema is not a rubber stamp: a report missing a required attribute or with an unknown element fails it
    expect((await validJunit(junitXml.replace(/ classname="[^"]*"/, ''))).valid).toBe(false);
    expect((await validJunit(junitXml.replace('<system-err></system-err>', '<stderr/>'))).valid).toBe(false);
    expect((await validJunit(junitXml.replace('failures="4" errors="0"', 'failures="four" errors="0"'))).valid).toBe(false);
  });

  it('the TAP report parses: 4 points, all not ok, with the failing expectations in YAML', async () => {
    const t = await parseTap(tapText);
    expect(t).toMatchObject({ ok: false, pass: 0, fail: 4, count: 4 });
    expect(t.failures.sort()).toEqual(['bad_dsq [workload=cpu-hogs seed=1 cpus=2]', 'fifo-fairness [workload=cpu-hogs seed=1 cpus=2]', 'leak [workload=cpu-hogs seed=1 cpus=2]', 'lost_task [workload=interactive seed=1 cpus=2]']);
    expect(tapText).toMatch(/ {4}- expectation: "noEjection"\n {6}message: "ejected at/);
  });
});

describe('setup modules', () => {
  it("a spec names a setup module; its checks see the module's log", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scx-spec-'));
    const f = join(dir, 'knobs.scx.mjs');
    writeFileSync(f, `export default {
  object: ${JSON.stringify(join(ROOT, 'test/bpf/build/setup/knobs.bpf.o'))},
  setup: ${JSON.stringify(join(ROOT, 'test/bpf/setup/knobs.setup.mjs'))},
  duration: '1100ms',
  matrix: { workloads: ['cpu-hogs'], cpus: [4] },
  expect: {
    noEjection: true,
    check: {
      configured: (run) => run.setup?.log[0]?.text === 'configured 4 cpus, 2 pairs' || JSON.stringify(run.setup),
      statsAt1s: (run) => run.setup.log.some((l) => l.t === 1e9) || 'no stats line at 1 s',
      notOn8: (run) => run.info.machine.cpus !== 4 || run.setup.log[0].text.includes('8 cpus') || 'configured for 4 CPUs, as it should be',
    },
  },
};
`);
    const r = await runTest([f]);
    expect(r.code).toBe(1);
    // the first two checks hold; the third is written to fail, proving the predicate ran against the log
    expect(r.stdout).toContain('check.notOn8: configured for 4 CPUs, as it should be');
    expect(r.stdout).not.toContain('check.configured');
    expect(r.stdout).not.toContain('check.statsAt1s');
  });
});

describe('bad input', () => {
  it('a spec with an unknown expectation is refused with exit 2 naming the file and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scx-spec-'));
    const f = join(dir, 'bad.scx.yaml');
    writeFileSync(f, 'object: x.bpf.o\nmatrix: { workloads: [cpu-hogs] }\nexpect: { noEjections: true }\n');
    const r = await runTest([f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`scxray test: ${f}: expect: Unrecognized key: "noEjections"`);
  });

  it('a missing object is an ERROR case (exit 1), not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scx-spec-'));
    const f = join(dir, 'missing.scx.yaml');
    writeFileSync(f, 'object: nowhere.bpf.o\nmatrix: { workloads: [cpu-hogs] }\nexpect: { noEjection: true }\n');
    const r = await runTest([f], { reporter: 'junit' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/<error message="ApiError: object: no such file: .*nowhere\.bpf\.o"/);
    expect((await validJunit(r.stdout)).valid).toBe(true);
  });

  it('no spec files under a path is exit 2', async () => {
    const r = await runTest([mkdtempSync(join(tmpdir(), 'scx-empty-'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no spec files/);
  });
});

describe('the scxray command', () => {
  it('scxray test exits 1 on a planted bug and 0 on a passing spec', () => {
    const bin = join(ROOT, 'bin/scxray.mjs');
    const art = mkdtempSync(join(tmpdir(), 'scx-art-'));
    const bad = spawnSync(process.execPath, [bin, 'test', join(ROOT, 'test/scx/buggy/bad_dsq.scx.yaml'), '--artifacts', art], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('FAIL  bad_dsq');
    const good = spawnSync(process.execPath, [bin, 'test', join(ROOT, 'test/scx/leak_expected.scx.yaml'), '--reporter', 'tap'], { encoding: 'utf8' });
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/^ok 1 - leak-exactly/m);
  });
});

// `scxray replay` and `scxray export` as a user runs them: the real bin in a
// child process, on a real trace file.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceReader } from './reader';
import { chromeTraceViolations } from './testing/chrome_rules';
import { recordToy } from './testing/record_toy';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../../bin/scxray.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'scxray-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const trace = join(dir, 't.scxtrace');
recordToy(trace, { steps: 2000, recorder: { chunkEvents: 300 } });

async function scxray(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('scxray replay / export', () => {
  it('--at prints the state at that instant (--json equals stateAt)', async () => {
    const r = TraceReader.open(trace);
    const t = Math.floor(r.startTime + r.duration / 3);
    const expected = r.stateAt(t);
    r.close();
    const res = await scxray('replay', trace, '--at', `${t}ns`, '--json');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(expected);
    const text = await scxray('replay', trace, '--at', `${t / 1e6}ms`);
    expect(text.stdout).toMatch(/^state at 0\.\d{9}s/);
    expect(text.stdout).toContain('cpu 3:');
  });

  it('--events with --kind matches op names, in the window', async () => {
    const res = await scxray('replay', trace, '--events', '1ms..3ms', '--kind', 'dispatch', '--json');
    expect(res.code).toBe(0);
    const evs = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as { t: number; kind: string; op: string });
    expect(evs.length).toBeGreaterThan(0);
    for (const e of evs) {
      expect(e.kind).toBe('op');
      expect(e.op).toBe('dispatch');
      expect(e.t).toBeGreaterThanOrEqual(1e6);
      expect(e.t).toBeLessThan(3e6);
    }
  });

  it('export writes Chrome JSON that follows the rules; bad input exits 2 with the reason', async () => {
    const out = join(dir, 'out.json');
    const res = await scxray('export', trace, '--format', 'chrome-json', '-o', out);
    expect(res.code).toBe(0);
    expect(chromeTraceViolations(JSON.parse(readFileSync(out, 'utf8')))).toEqual([]);
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, 'hello, not a trace');
    const bad = await scxray('replay', junk, '--at', '1s');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not an scxray trace/);
  });
});

// `scxray replay TRACE --summary --from T0 --to T1 [--json]` as a user runs it:
// the real bin in a child process on the committed sample trace. The JSON is
// the range summary the session answers for the UI; the text shows the same
// figures; bad ranges exit 2 naming the option.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { RangeSummary } from '../../protocol/range_summary';
import { REPO_ROOT } from '../../sim/testing/fixtures';
import { TraceReader } from '../../sim/trace/reader';
import { Session } from '../session/session';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../../bin/scxray.mjs', import.meta.url));
const trace = join(REPO_ROOT, 'assets/traces/rbtree-interactive.scxtrace');

async function scxray(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('scxray replay --summary', () => {
  it('--json equals the session\'s rangeSummary answer for the same range (what the Range tab shows)', async () => {
    const res = await scxray('replay', trace, '--summary', '--from', '10ms', '--to', '30ms', '--json');
    expect(res.code, res.stderr).toBe(0);
    const cli = JSON.parse(res.stdout) as RangeSummary;
    const session = new Session({ host: 'browser' });
    try {
      expect((await session.handle({ method: 'openTrace', params: { path: trace } })).ok).toBe(true);
      const r = await session.handle({ method: 'rangeSummary', params: { t0: 10_000_000, t1: 30_000_000 } });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(cli).toEqual((r as { result: unknown }).result);
    } finally {
      session.dispose();
    }
    expect(cli.t0).toBe(10_000_000);
    expect(cli.t1).toBe(30_000_000);
    expect(cli.tasks.length).toBeGreaterThan(3);
    // the op calls are the op events of the range
    const reader = TraceReader.open(trace);
    const enqueues = reader.events(10_000_000, 30_000_000, { kinds: ['op'] }).filter((e) => e.kind === 'op' && e.op === 'enqueue').length;
    reader.close();
    expect(enqueues).toBeGreaterThan(0);
    expect(cli.ops.find((o) => o.op === 'enqueue')?.calls).toBe(enqueues);
  });

  it('prints the tables as text with the same figures', async () => {
    const json = JSON.parse((await scxray('replay', trace, '--summary', '--from', '10ms', '--to', '30ms', '--json')).stdout) as RangeSummary;
    const res = await scxray('replay', trace, '--summary', '--from', '10ms', '--to', '30ms');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('0.010000000s .. 0.030000000s');
    const top = json.tasks[0]!;
    expect(res.stdout).toMatch(new RegExp(`${top.comm} \\(${top.pid}\\)\\s+${(top.runtimeNs / 1e6).toFixed(3)}ms`));
    const op = json.ops[0]!;
    expect(res.stdout).toMatch(new RegExp(`${op.op}\\s+${op.calls}\\s+${op.insns}\\s+${op.meanInsns.toFixed(1)}`));
    const line = json.lines[0]!;
    expect(res.stdout).toMatch(new RegExp(`${line.file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${line.line}\\s+${line.alloc + line.move + line.free}\\s+${line.alloc}\\s+${line.move}\\s+${line.free}`));
    for (const d of json.dsqs) expect(res.stdout).toMatch(new RegExp(`${d.dsq.replace(/[()]/g, '\\$&')}\\s+${d.maxDepth}\\s+${d.startDepth}\\s+${d.inserts}`));
  });

  it('without --from/--to it covers the whole trace', async () => {
    const res = await scxray('replay', trace, '--summary', '--json');
    expect(res.code, res.stderr).toBe(0);
    const s = JSON.parse(res.stdout) as RangeSummary;
    const reader = TraceReader.open(trace);
    const ops = reader.events(0, Infinity, { kinds: ['op'] }).length;
    const end = reader.endTime;
    reader.close();
    expect(s.t0).toBe(0);
    expect(s.t1).toBe(end + 1);
    expect(s.ops.reduce((n, o) => n + o.calls, 0)).toBe(ops);
  });

  it('refuses a range that ends before it starts, and --from without --summary, with exit 2', async () => {
    const back = await scxray('replay', trace, '--summary', '--from', '30ms', '--to', '10ms');
    expect(back.code).toBe(2);
    expect(back.stderr).toContain('--to 10ms is before --from 30ms');
    const alone = await scxray('replay', trace, '--from', '10ms');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--from and --to go with --summary');
    const bad = await scxray('replay', trace, '--summary', '--from', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cannot read "soon" as a time');
  });
});

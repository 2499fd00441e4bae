// importSchedTrace through the session: an upload of a captured trace comes
// back as a workload startRun accepts, the original's slices on the traced
// CPUs and its wakeup latencies; bad input is trace_bad naming the line.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from './session';
import { REPO_ROOT } from '../../../test/support/bpf';
import type { ImportedSchedTrace } from '../../protocol/sched_import';

const PERF = join(REPO_ROOT, 'test/traces/clang-build.perf.txt');

describe('session importSchedTrace', () => {
  it('imports an uploaded perf capture: workload, slices, latencies', async () => {
    const s = new Session({ host: 'browser' });
    const r = await s.handle({ method: 'importSchedTrace', params: { name: 'clang-build.perf.txt', dataBase64: readFileSync(PERF).toString('base64') } });
    expect(r.ok).toBe(true);
    const t = (r as { result: ImportedSchedTrace }).result;
    expect(t).toMatchObject({ file: 'clang-build.perf.txt', format: 'perf', cpus: 2, tasks: 70 });
    // from the first sched event (294.636263741) to the last (294.834437693; the header's "time of last sample" is rounded to µs)
    expect(t.spanNs).toBe(294_834_437_693 - 294_636_263_741);
    const w = JSON.parse(t.workloadJson);
    expect(w.groups).toHaveLength(70);
    // slices lie on the traced CPUs, inside the span, and cover what the CPUs were busy for
    expect(new Set(t.slices.cpu)).toEqual(new Set([0, 1]));
    for (let i = 0; i < t.slices.cpu.length; i++) {
      expect(t.slices.start[i]!).toBeGreaterThanOrEqual(0);
      expect(t.slices.end[i]!).toBeLessThanOrEqual(t.spanNs);
      expect(t.slices.end[i]!).toBeGreaterThanOrEqual(t.slices.start[i]!);
    }
    const busy0 = t.slices.cpu.reduce((a, c, i) => a + (c === 0 ? t.slices.end[i]! - t.slices.start[i]! : 0), 0);
    expect(busy0 / t.spanNs).toBeCloseTo(t.utilization[0]!, 6);
    expect(t.comms['11988']).toBe('clang-19');
    // migrations: consecutive runs of a task on different CPUs, recounted from the slices
    const byPid = new Map<number, { start: number; cpu: number }[]>();
    t.slices.pid.forEach((pid, i) => byPid.set(pid, [...(byPid.get(pid) ?? []), { start: t.slices.start[i]!, cpu: t.slices.cpu[i]! }]));
    let moves = 0;
    for (const runs of byPid.values()) {
      runs.sort((a, b) => a.start - b.start);
      for (let i = 1; i < runs.length; i++) if (runs[i]!.cpu !== runs[i - 1]!.cpu) moves++;
    }
    expect(t.migrations).toBeGreaterThan(5);
    expect(t.migrations).toBe(moves);
    expect(t.wakeLatencySamples).toHaveLength(t.wakeLatencyNs.samples);
    expect(t.wakeLatencyNs.samples).toBeGreaterThan(100);
    s.dispose();
  });

  it('a bad line is trace_bad with the file and line', async () => {
    const s = new Session({ host: 'browser' });
    const text = readFileSync(PERF, 'utf8').split('\n');
    text.splice(40, 0, 'garbage');
    const r = await s.handle({ method: 'importSchedTrace', params: { name: 'bad.txt', dataBase64: Buffer.from(text.join('\n')).toString('base64') } });
    expect(r).toMatchObject({ ok: false, error: { code: 'trace_bad', file: 'bad.txt', where: 'line 41' } });
    expect((r as { error: { message: string } }).error.message).toMatch(/^bad\.txt:41: not a trace event line/);
    s.dispose();
  });
});

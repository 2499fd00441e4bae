import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromeEvents, writeChromeTrace } from './chrome_export';
import { TraceReader } from './reader';
import { chromeTraceViolations } from './testing/chrome_rules';
import { recordToy } from './testing/record_toy';

const dir = mkdtempSync(join(tmpdir(), 'scxray-chrome-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Chrome Trace Event export', () => {
  const path = join(dir, 'x.scxtrace');
  recordToy(path, { steps: 3000, recorder: { chunkEvents: 400 } });
  const r = TraceReader.open(path);

  it('follows the format rules', () => {
    let text = '';
    const n = writeChromeTrace(r, (s) => (text += s));
    const doc = JSON.parse(text) as { traceEvents: { ph: string; name: string; cat?: string; dur?: number; ts?: number; tid: number }[] };
    expect(doc.traceEvents.length).toBe(n);
    expect(chromeTraceViolations(doc)).toEqual([]);
    const phases = new Set(doc.traceEvents.map((e) => e.ph));
    for (const ph of ['M', 'X', 'C', 'i', 's', 'f']) expect(phases).toContain(ph);
  });

  it('run slices are the reader slices in µs, one track per CPU', () => {
    const slices = r.runSlices(-Infinity, Infinity, 0);
    const runs = [...chromeEvents(r)].filter((e) => e.cat === 'run');
    expect(runs.length).toBe(slices.cpu.length);
    runs.forEach((e, i) => {
      expect(e.tid).toBe(slices.cpu[i]! + 1);
      expect(e.ts).toBeCloseTo(slices.start[i]! / 1000, 6);
      expect(e.dur).toBeCloseTo((slices.end[i]! - slices.start[i]!) / 1000, 6);
      expect(e.name).toMatch(new RegExp(`:${slices.pid[i]}$`));
    });
  });

  it('the rule checker catches broken documents', () => {
    expect(chromeTraceViolations({ traceEvents: [{ name: 'a', ph: 'Q', pid: 1, tid: 1, ts: 0 }] })).toHaveLength(1);
    expect(
      chromeTraceViolations({
        traceEvents: [
          { name: 'a', ph: 'X', pid: 1, tid: 1, ts: 0, dur: 10 },
          { name: 'b', ph: 'X', pid: 1, tid: 1, ts: 5, dur: 10 },
        ],
      })[0],
    ).toMatch(/overlaps/);
    expect(chromeTraceViolations({ traceEvents: [{ name: 'w', ph: 's', pid: 1, tid: 1, ts: 5, id: 3 }] })[0]).toMatch(/1 starts and 0 ends/);
    expect(chromeTraceViolations({ traceEvents: [{ name: 'c', ph: 'C', pid: 1, tid: 0, ts: 1, args: { depth: 'x' } }] })).toHaveLength(1);
    expect(chromeTraceViolations([])).toHaveLength(1);
  });
});

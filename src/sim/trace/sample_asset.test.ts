// The committed sample trace (recorded by an earlier build from a real run)
// must keep opening: files written by older scxray versions stay readable.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chromeEvents } from './chrome_export';
import { TraceReader } from './reader';
import { chromeTraceViolations } from './testing/chrome_rules';

const sample = fileURLToPath(new URL('../../../assets/traces/rbtree-interactive.scxtrace', import.meta.url));

describe('assets/traces/rbtree-interactive.scxtrace', () => {
  it('opens complete, replays and exports', () => {
    const r = TraceReader.open(sample);
    expect(r.recovery.complete).toBe(true);
    expect(r.info.scheduler).toBe('rbtree');
    expect(r.info.machine.cpus).toBe(4);
    expect(r.eventCount).toBe(11783);
    expect(r.endTime).toBe(200_000_000);
    const s = r.stateAt(100_000_000);
    expect(s.cpus).toHaveLength(4);
    expect(s.tasks.length).toBeGreaterThan(4);
    expect(s.roots.some((x) => x.kind === 'rb_root')).toBe(true);
    const slices = r.runSlices(0, r.endTime, 0);
    expect(slices.cpu.length).toBeGreaterThan(100);
    expect(chromeTraceViolations({ traceEvents: [...chromeEvents(r)] })).toEqual([]);
    r.close();
  });
});

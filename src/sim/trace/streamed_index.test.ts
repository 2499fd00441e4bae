// A big trace answers its first slices query from the chunks indexed so far
// (indexSome / indexedUntil / indexedRunSlices), and kind-filtered scans skip
// chunks known not to hold the kinds asked for.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceReader } from './reader';
import { recordToy } from './testing/record_toy';

const dir = mkdtempSync(join(tmpdir(), 'scxray-streamed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, 'streamed.scxtrace');
recordToy(path, { steps: 4000, recorder: { chunkEvents: 300 } });

describe('indexing a trace a part at a time', () => {
  it('answers from the indexed prefix, then agrees with the whole index once done', () => {
    const whole = TraceReader.open(path);
    const full = whole.runSlices(0, Infinity, 0);
    const r = TraceReader.open(path);
    expect(r.chunkCount).toBeGreaterThan(4);
    expect(r.indexedUntil).toBe(r.chunks()[0]!.tBase);
    // a zero budget still indexes one chunk
    expect(r.indexSome(0)).toBe(false);
    const until = r.indexedUntil;
    expect(until).toBe(r.chunks()[1]!.tBase);
    const part = r.indexedRunSlices(0, until, 0);
    expect(part.start.length).toBeGreaterThan(0);
    // every slice of the prefix is a slice of the whole index (or the still-open one, cut at the last event read)
    for (let i = 0; i < part.start.length; i++) {
      const j = [...full.start.keys()].find((k) => full.cpu[k] === part.cpu[i] && full.start[k] === part.start[i]);
      expect(j, `slice ${i} on cpu ${part.cpu[i]} at ${part.start[i]}`).toBeDefined();
      expect(full.pid[j!]).toBe(part.pid[i]);
      expect(part.end[i]!).toBeLessThanOrEqual(full.end[j!]!);
    }
    while (!r.indexSome(0));
    expect(r.indexedUntil).toBe(Infinity);
    const done = r.indexedRunSlices(0, Infinity, 0);
    expect([...done.start]).toEqual([...full.start]);
    expect([...done.pid]).toEqual([...full.pid]);
    expect(r.indexSome(0)).toBe(true);
  });

  it('a kind-filtered scan finds the same events after chunks are known, reading only those that hold the kind', () => {
    const r = TraceReader.open(path);
    const cold = r.events(0, Infinity, { kinds: ['dsq_create'] });
    expect(cold.length).toBeGreaterThan(0);
    r.runSlices(0, Infinity, 0); // decodes every chunk: their kinds are known now
    const chunksWith = r.chunks().filter((_, ci) => r.chunkEvents(ci).some((e) => e.kind === 'dsq_create')).length;
    expect(chunksWith).toBeLessThan(r.chunkCount);
    const warm = r.events(0, Infinity, { kinds: ['dsq_create'] });
    expect(warm).toEqual(cold);
    // all switch events are still found: chunks holding them are never skipped
    expect(r.events(0, Infinity, { kinds: ['switch'] }).length).toBe(r.events(0, Infinity).filter((e) => e.kind === 'switch').length);
  });

  it('a scan that reads every chunk in order leaves the slice index complete', () => {
    const whole = TraceReader.open(path).runSlices(0, Infinity, 0);
    const r = TraceReader.open(path);
    r.events(0, Infinity, { kinds: ['exit'] });
    expect(r.indexedUntil).toBe(Infinity);
    const s = r.indexedRunSlices(0, Infinity, 0);
    expect([...s.start]).toEqual([...whole.start]);
    expect([...s.cpu]).toEqual([...whole.cpu]);
  });
});

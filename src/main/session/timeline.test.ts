// An opened trace's slices stream: the first answer comes from the chunks
// indexed within the query's budget and says (t1) how far it reaches; the rest
// is indexed between requests until an answer covers the whole window.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceReader } from '../../sim/trace/reader';
import { recordToy } from '../../sim/trace/testing/record_toy';
import { streamedTimeline } from './timeline';

const dir = mkdtempSync(join(tmpdir(), 'scxray-timeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, 'streamed.scxtrace');
recordToy(path, { steps: 4000, recorder: { chunkEvents: 300 } });

const turn = () => new Promise((r) => setImmediate(r));

describe('streamedTimeline', () => {
  it('answers from the indexed prefix first, then the whole window once the background indexing is done', async () => {
    const whole = TraceReader.open(path);
    const end = whole.endTime;
    const full = whole.runSlices(0, end, 0);
    const reader = TraceReader.open(path);
    const tl = streamedTimeline(reader, { sliceMs: 0, backgroundMs: 0 });
    const first = tl.runSlices(0, end, 0);
    expect(first.t1).toBeLessThan(end);
    expect(first.t1).toBe(reader.chunks()[1]!.tBase);
    expect(first.start.length).toBeGreaterThan(0);
    expect(first.start.length).toBeLessThan(full.start.length);
    let last = first;
    for (let i = 0; i < 200 && last.t1 < end; i++) {
      await turn();
      last = tl.runSlices(0, end, 0);
    }
    expect(last.t1).toBe(end);
    expect([...last.start]).toEqual([...full.start]);
    expect([...last.pid]).toEqual([...full.pid]);
    tl.close();
  });

  it('stops indexing in the background when closed', async () => {
    const reader = TraceReader.open(path);
    const tl = streamedTimeline(reader, { sliceMs: 0, backgroundMs: 0 });
    tl.close();
    await turn();
    await turn();
    expect(reader.indexedUntil).toBe(reader.chunks()[0]!.tBase);
  });

  it('indexed() resolves once the background indexing has read every chunk, and at once after that', async () => {
    const reader = TraceReader.open(path);
    const tl = streamedTimeline(reader, { sliceMs: 0, backgroundMs: 0 });
    let done = false;
    const waiting = tl.indexed!().then(() => (done = true));
    expect(done).toBe(false);
    await waiting;
    expect(reader.indexedUntil).toBe(Infinity);
    await tl.indexed!();
    tl.close();
  });

  it('close() releases whoever waits for the index', async () => {
    const reader = TraceReader.open(path);
    const tl = streamedTimeline(reader, { sliceMs: 0, backgroundMs: 0 });
    const waiting = tl.indexed!();
    tl.close();
    await waiting;
    expect(reader.indexedUntil).toBeLessThan(Infinity);
  });
});

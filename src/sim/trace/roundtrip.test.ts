import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceReader } from './reader';
import { recordToy } from './testing/record_toy';
import { withoutFieldsAt } from './testing/live_view';

const dir = mkdtempSync(join(tmpdir(), 'scxray-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('record then replay', () => {
  it('stateAt(t) equals the producer snapshot at t, for many t', () => {
    const path = join(dir, 'a.scxtrace');
    const { samples, events } = recordToy(path, { steps: 6000, sampleEvery: 97, recorder: { chunkEvents: 500 } });
    const r = TraceReader.open(path);
    expect(r.recovery).toEqual({ complete: true, lostBytes: 0, reason: null });
    expect(r.eventCount).toBe(events);
    expect(r.chunkCount).toBeGreaterThanOrEqual(8);
    for (const s of samples) expect(withoutFieldsAt(r.stateAt(s.t))).toEqual(s);
    r.close();
  });

  it('derives keyframes itself when the producer gives none', () => {
    const path = join(dir, 'b.scxtrace');
    const { samples } = recordToy(path, { steps: 3000, sampleEvery: 61, useProvider: false, recorder: { chunkEvents: 300 } });
    const r = TraceReader.open(path);
    for (const s of samples) expect(withoutFieldsAt(r.stateAt(s.t))).toEqual(s);
    r.close();
  });

  it('events() gives back the window in order, filtered', () => {
    const path = join(dir, 'c.scxtrace');
    recordToy(path, { steps: 2000, recorder: { chunkEvents: 256 } });
    const r = TraceReader.open(path);
    const all = r.events(0, Infinity);
    expect(all.length).toBe(r.eventCount);
    for (let i = 1; i < all.length; i++) expect(all[i]!.t).toBeGreaterThanOrEqual(all[i - 1]!.t);
    const mid = all[Math.floor(all.length / 2)]!.t;
    const window = r.events(mid, mid + 50_000);
    expect(window).toEqual(all.filter((e) => e.t >= mid && e.t < mid + 50_000));
    const dispatch = r.events(0, Infinity, { kinds: ['op'], cpu: 1 });
    expect(dispatch).toEqual(all.filter((e) => e.kind === 'op' && e.cpu === 1));
    expect(r.events(0, Infinity, { limit: 5 })).toEqual(all.slice(0, 5));
    r.close();
  });

  it('a file without its footer replays the same up to its last whole chunk', () => {
    const path = join(dir, 'd.scxtrace');
    const { samples } = recordToy(path, { steps: 3000, sampleEvery: 50, recorder: { chunkEvents: 400 } });
    const full = TraceReader.open(path);
    const chunks = full.chunks();
    const cut = chunks[chunks.length - 3]!;
    const bytes = readFileSync(path).subarray(0, cut.offset + cut.length + 7);
    const r = TraceReader.fromBytes(bytes, 'cut');
    expect(r.recovery.complete).toBe(false);
    expect(r.recovery.lostBytes).toBe(7);
    expect(r.chunkCount).toBe(chunks.length - 2);
    const end = cut.tBase;
    for (const s of samples.filter((x) => x.t < end)) expect(withoutFieldsAt(r.stateAt(s.t))).toEqual(s);
    full.close();
  });
});

// Damaged, foreign and future files give a TraceError with a code, never a
// hang or another exception; a mutation fuzz test backs the hand-made cases.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeChunkEvents } from './event_decoder';
import { EventEncoder } from './event_encoder';
import { TraceError, type TraceErrorCode } from './errors';
import { FORMAT_MAJOR } from './format';
import { TraceReader } from './reader';
import { recordToy } from './testing/record_toy';
import { ToySimulation } from './testing/toy_simulation';

const dir = mkdtempSync(join(tmpdir(), 'scxray-bad-'));
let good: Uint8Array;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  const path = join(dir, 'good.scxtrace');
  recordToy(path, { steps: 1500, recorder: { chunkEvents: 250 } });
  good = new Uint8Array(readFileSync(path));
});

function codeOf(f: () => unknown): TraceErrorCode | 'ok' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof TraceError) return e.code;
    throw e;
  }
}

/** Everything a viewer would do with a file. */
function exercise(bytes: Uint8Array): void {
  const r = TraceReader.fromBytes(bytes, 'mutant');
  for (const c of r.chunks()) r.stateAt(c.tLast);
  r.events(0, Infinity);
  r.runSlices(0, Infinity, 1000);
  r.counters(0, Infinity, 1000);
}

describe('bad input', () => {
  it('a foreign file is not_a_trace', () => {
    expect(codeOf(() => TraceReader.fromBytes(new TextEncoder().encode('PK\x03\x04 not a trace at all')))).toBe('not_a_trace');
  });

  it('empty and header-truncated files are truncated', () => {
    expect(codeOf(() => TraceReader.fromBytes(new Uint8Array(0)))).toBe('truncated');
    expect(codeOf(() => TraceReader.fromBytes(good.subarray(0, 12)))).toBe('truncated');
    expect(codeOf(() => TraceReader.fromBytes(good.subarray(0, 40)))).toBe('truncated');
  });

  it('a newer major version is refused with a clear message; a newer minor opens', () => {
    const newer = good.slice();
    new DataView(newer.buffer).setUint16(8, FORMAT_MAJOR + 1, true);
    expect(() => TraceReader.fromBytes(newer, 'future.scxtrace')).toThrow(/future\.scxtrace: trace format 2\.1 is newer than this scxray reads \(1\.x\)/);
    const minor = good.slice();
    new DataView(minor.buffer).setUint16(10, 7, true);
    const r = TraceReader.fromBytes(minor);
    expect(r.formatVersion).toEqual({ major: FORMAT_MAJOR, minor: 7 });
    expect(r.eventCount).toBeGreaterThan(1000);
  });

  it('a flipped bit inside a chunk is a checksum error located at that chunk; other chunks still read', () => {
    const r0 = TraceReader.fromBytes(good);
    const c = r0.chunks()[2]!;
    const bad = good.slice();
    bad[c.offset + 40]! ^= 0x10;
    const r = TraceReader.fromBytes(bad, 'flip');
    expect(r.recovery.complete).toBe(true);
    let err: unknown;
    try {
      r.stateAt(Math.floor((c.tBase + c.tLast) / 2));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TraceError);
    expect((err as TraceError).code).toBe('checksum');
    expect((err as TraceError).where.chunk).toBe(2);
    const last = r0.chunks()[r0.chunkCount - 1]!;
    expect(r.stateAt(last.tLast)).toEqual(r0.stateAt(last.tLast));
  });

  it('a damaged footer falls back to scanning and loses nothing', () => {
    const bad = good.slice();
    bad[bad.length - 30]! ^= 0xff;
    const r = TraceReader.fromBytes(bad);
    const r0 = TraceReader.fromBytes(good);
    expect(r.recovery.complete).toBe(false);
    expect(r.recovery.reason).toMatch(/checksum/);
    expect(r.chunkCount).toBe(r0.chunkCount);
    expect(r.events(0, Infinity)).toEqual(r0.events(0, Infinity));
  });

  it('mutation fuzz: any damage gives a TraceError or a readable file', () => {
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 64 }) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        let b = good.slice();
        for (const m of ms) {
          const at = m.at % b.length;
          if (m.op === 'flip') b[at]! ^= 1 << m.bit;
          else if (m.op === 'truncate') b = b.slice(0, at);
          else if (m.op === 'overwrite') b.set(m.bytes.subarray(0, b.length - at), at);
          else if (m.op === 'insert') b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
          else b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.n)]);
          if (b.length === 0) break;
        }
        expect(['ok', 'not_a_trace', 'truncated', 'checksum', 'corrupt', 'no_chunks', 'newer_version']).toContain(codeOf(() => exercise(b)));
      }),
      { numRuns: 150, seed: 5 },
    );
  });

  it('mutation fuzz below the checksums: a damaged event block never escapes as another error', () => {
    const sim = new ToySimulation(4, 3);
    const enc = new EventEncoder(0);
    sim.on((e) => enc.add(e));
    sim.start();
    sim.runEvents(400);
    const block = enc.finish().slice();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const b = block.slice();
        for (const [at, v] of edits) b[at % b.length] = v;
        codeOf(() => {
          const ev = decodeChunkEvents(b, 0);
          for (let i = 0; i < ev.count; i++) ev.event(i);
        });
      }),
      { numRuns: 300, seed: 9 },
    );
  });
});

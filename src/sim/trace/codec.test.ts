import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../model/events';
import { decodeChunkEvents } from './event_decoder';
import { EventEncoder } from './event_encoder';
import { TraceError } from './errors';
import { ToySimulation } from './testing/toy_simulation';
import { ByteReader, ByteWriter } from './bytes';
import { KIND_NAMES } from '../../model/event_kinds';
import { BASE_KIND_COUNT } from './event_codec';

function toyEvents(n: number, seed: number): SimEvent[] {
  const sim = new ToySimulation(4, seed);
  const out: SimEvent[] = [];
  sim.on((e) => out.push(e));
  sim.start();
  sim.runEvents(n);
  sim.exit();
  return out;
}

describe('event columns', () => {
  it('gives back every event exactly, for every kind', () => {
    const evs = toyEvents(5000, 7);
    const kinds = new Set(evs.map((e) => e.kind));
    expect(kinds.size).toBe(KIND_NAMES.length);
    const enc = new EventEncoder(0);
    for (const e of evs) enc.add(e);
    const dec = decodeChunkEvents(enc.finish(), 0);
    expect(dec.count).toBe(evs.length);
    const back = Array.from({ length: dec.count }, (_, i) => dec.event(i));
    expect(back).toEqual(evs);
  });

  it('keeps optional fields absent and large integers exact', () => {
    const evs: SimEvent[] = [
      { t: 5, kind: 'dsq_insert', cpu: 1, dsq: '0x8000000000000001', pid: 3, slice: 2 ** 63, head: true },
      { t: 5, kind: 'dsq_insert', cpu: 1, dsq: '0x64', pid: 3, slice: 0, vtime: 2 ** 60 + 2 ** 10, head: false },
      { t: 9, kind: 'op', cpu: 0, op: 'select_cpu', pid: -1, args: [], insns: 0 },
      { t: 9, kind: 'obj_owner', obj: 1, from: { kind: 'refcount', count: 2 }, to: { kind: 'freed' } },
    ];
    const enc = new EventEncoder(2);
    for (const e of evs) enc.add(e);
    const dec = decodeChunkEvents(enc.finish(), 2);
    const back = Array.from({ length: dec.count }, (_, i) => dec.event(i));
    expect(back).toStrictEqual(evs);
  });

  it('refuses a fractional time and leaves the chunk intact', () => {
    const enc = new EventEncoder(0);
    enc.add({ t: 1, kind: 'idle', cpu: 0, idle: true });
    expect(() => enc.add({ t: 1.5, kind: 'idle', cpu: 0, idle: false })).toThrow(TraceError);
    expect(() => enc.add({ t: 2, kind: 'switch', cpu: -1, prevPid: 0, nextPid: 1 })).toThrow(/cpu must be >= 0/);
    enc.add({ t: 3, kind: 'idle', cpu: 2, idle: false });
    const dec = decodeChunkEvents(enc.finish(), 0);
    expect([dec.event(0), dec.event(1)]).toEqual([
      { t: 1, kind: 'idle', cpu: 0, idle: true },
      { t: 3, kind: 'idle', cpu: 2, idle: false },
    ]);
  });

  it('an encoder reset for the next chunk writes the same bytes as a fresh one', () => {
    const evs = toyEvents(3000, 11);
    const half = evs.findIndex((e) => e.t > evs[evs.length >> 1]!.t);
    const [first, second] = [evs.slice(0, half), evs.slice(half)];
    const reused = new EventEncoder(0);
    for (const e of first) reused.add(e);
    const firstBlock = reused.finish().slice();
    reused.reset(first[first.length - 1]!.t);
    for (const e of second) reused.add(e);
    const fresh = new EventEncoder(first[first.length - 1]!.t);
    for (const e of second) fresh.add(e);
    expect(reused.count).toBe(second.length);
    expect(reused.finish()).toEqual(fresh.finish());
    // the first chunk's block was a copy: the reset did not change it
    expect(decodeChunkEvents(firstBlock, 0).count).toBe(first.length);
    const dec = decodeChunkEvents(reused.finish(), first[first.length - 1]!.t);
    expect(Array.from({ length: dec.count }, (_, i) => dec.event(i))).toEqual(second);
  });

  it('event columns decode values at the varint and zigzag edges (one byte, int32, past it)', () => {
    const edges = [0, 1, 63, 64, 127, 128, 2 ** 30, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 + 5, 2 ** 53 - 1];
    const events: SimEvent[] = edges.map((slice, i) => ({ t: i, kind: 'dsq_insert', cpu: i % 3, dsq: '0x8000000000000000', pid: 1 + i, slice, head: false }));
    events.push({ t: 20, kind: 'switch', cpu: 1, prevPid: 2 ** 31 - 1, nextPid: 63 });
    const enc = new EventEncoder(0);
    for (const e of events) enc.add(e);
    const dec = decodeChunkEvents(enc.finish(), 0);
    expect(Array.from({ length: dec.count }, (_, i) => dec.event(i))).toEqual(events);
  });

  it('varints round-trip at the edges', () => {
    const w = new ByteWriter(4);
    const vals = [0, 1, 127, 128, 2 ** 31, 2 ** 53 - 1, -1, -(2 ** 40), 2 ** 64];
    for (const v of vals) w.svar(v);
    const r = new ByteReader(w.finish());
    expect(vals.map(() => r.svar())).toEqual(vals);
    expect(() => r.u8()).toThrow(TraceError);
  });
});

describe('kinds this reader does not know (format 1.1 ext column)', () => {
  // A block as a newer writer would make it: idle on CPU 0, then an event of
  // kind code 40 with a cpu, two ints, one string and three blob bytes, then
  // idle on CPU 1. The reader skips the unknown event by its ext entry.
  function futureBlock(): Uint8Array {
    const col = (f: (w: ByteWriter) => void) => {
      const w = new ByteWriter(16);
      f(w);
      return w.finish();
    };
    const out = new ByteWriter(64);
    out.uvar(3);
    out.uvar(1);
    out.str('future');
    const columns = [
      col((w) => [9, 40, 9].forEach((k) => w.u8(k))), // kinds
      col((w) => [10, 5, 5].forEach((d) => w.svar(d))), // dt
      col((w) => [0, 3, 1].forEach((c) => w.uvar(c))), // cpu: every event here has one
      col(() => {}), // pid
      col((w) => [1, 7, 8, 0].forEach((v) => w.svar(v))), // ints: idle=1, the unknown's two, idle=0
      col((w) => w.uvar(0)), // strs: the unknown's one
      col((w) => w.bytes(new Uint8Array([1, 2, 3]))), // blobs
      col((w) => [1, 2, 1, 3].forEach((v) => w.uvar(v))), // ext: has cpu; 2 ints, 1 str, 3 bytes
    ];
    for (const c of columns) {
      out.uvar(c.length);
      out.bytes(c);
    }
    return out.finish();
  }

  it('skips them by their ext entry and reads the events around them exactly', () => {
    expect(40).toBeGreaterThanOrEqual(BASE_KIND_COUNT);
    const dec = decodeChunkEvents(futureBlock(), 100);
    expect(dec.count).toBe(2);
    expect([dec.event(0), dec.event(1)]).toEqual([
      { t: 110, kind: 'idle', cpu: 0, idle: true },
      { t: 120, kind: 'idle', cpu: 1, idle: false },
    ]);
  });

  it('refuses an unknown kind that has no ext entry', () => {
    const block = futureBlock();
    // Drop the ext column: the block ends after the blobs.
    const r = new ByteReader(block, 0, block.length, 'block');
    r.uvar();
    r.uvar();
    r.str();
    for (let c = 0; c < 7; c++) r.bytes(r.uvar());
    expect(() => decodeChunkEvents(block.subarray(0, r.pos), 100)).toThrow(/kind code 40.*ext column/);
  });
});

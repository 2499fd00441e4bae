import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../model/events';
import { KIND_NAMES } from '../../model/event_kinds';
import { CODECS, type ArgWriter } from './event_codec';
import { ToySimulation } from './testing/toy_simulation';

/** Records every ArgWriter call, so two writers can be compared call by call (and so byte for byte). */
class Log implements ArgWriter {
  readonly calls: unknown[][] = [];
  int(v: unknown, what: string): void {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${what} must be an integer`);
    this.calls.push(['int', v, what]);
  }
  raw(v: number): void {
    this.calls.push(['raw', v]);
  }
  str(v: unknown, what: string): void {
    if (typeof v !== 'string') throw new TypeError(`${what}: expected a string`);
    this.calls.push(['str', v, what]);
  }
  blob(bytes: Uint8Array): void {
    this.calls.push(['blob', [...bytes]]);
  }
}

function toyEvents(n: number, seed: number): SimEvent[] {
  const sim = new ToySimulation(4, seed);
  const out: SimEvent[] = [];
  sim.on((e) => out.push(e));
  sim.start();
  sim.runEvents(n);
  sim.exit();
  return out;
}

function outcome(write: (w: ArgWriter) => void): { calls: unknown[][]; error?: string } {
  const w = new Log();
  try {
    write(w);
    return { calls: w.calls };
  } catch (e) {
    return { calls: w.calls, error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

describe('generated event writers', () => {
  it('write exactly what the generic column codecs write, for every kind', () => {
    const evs = toyEvents(5000, 11);
    expect(new Set(evs.map((e) => e.kind)).size).toBe(KIND_NAMES.length);
    let compared = 0;
    for (const ev of evs) {
      const codec = CODECS[ev.kind];
      const gen = outcome((w) => codec.write(w, ev));
      expect(gen.error).toBeUndefined();
      expect(gen).toEqual(outcome((w) => codec.writeGeneric(w, ev)));
      compared++;
    }
    expect(compared).toBe(evs.length);
  });

  it('cover optional members, flag bits and nested unions both ways', () => {
    const evs: SimEvent[] = [
      { t: 5, kind: 'dsq_insert', cpu: 1, dsq: '0x8000000000000001', pid: 3, slice: 2 ** 63, head: true },
      { t: 5, kind: 'dsq_insert', cpu: 1, dsq: '0x64', pid: 3, slice: 0, vtime: 2 ** 60, head: false },
      { t: 9, kind: 'op', cpu: 0, op: 'select_cpu', pid: -1, args: [], insns: 0 },
      { t: 9, kind: 'op', cpu: 0, op: 'enqueue', pid: 4, args: ['0x1', '2'], insns: 12, ret: '0' },
      { t: 9, kind: 'obj_owner', obj: 1, from: { kind: 'refcount', count: 2 }, to: { kind: 'freed' } },
      { t: 9, kind: 'obj_owner', obj: 1, from: { kind: 'program', program: 'p', cpu: 3 }, to: { kind: 'rb_root', root: 'r' }, site: { program: 'p', insn: 4, file: 'a.c', line: 7 }, at: 2 },
    ];
    for (const ev of evs) {
      const codec = CODECS[ev.kind];
      const gen = outcome((w) => codec.write(w, ev));
      expect(gen.error).toBeUndefined();
      expect(gen.calls.length).toBeGreaterThan(0);
      expect(gen).toEqual(outcome((w) => codec.writeGeneric(w, ev)));
    }
  });

  it('refuse bad fields with the generic writer’s error, after the same writes', () => {
    const bad = [
      { t: 1, kind: 'task_state', cpu: 0, pid: 2, state: 'dancing' },
      { t: 1, kind: 'op', cpu: 0, op: 'enqueue', pid: 1, args: 'nope', insns: 3 },
      { t: 1, kind: 'op', cpu: 0, op: 'enqueue', pid: 1, args: [], insns: 3.5 },
      { t: 1, kind: 'ringbuf', map: 'rb', bytes: [1, 2] },
      { t: 1, kind: 'obj_new', obj: 1, type: 'node', size: 8, site: null },
      { t: 1, kind: 'obj_owner', obj: 1, from: { kind: 'elsewhere' }, to: { kind: 'freed' } },
      { t: 1, kind: 'obj_free', obj: 1, site: { program: 'p', insn: 'x' } },
    ] as unknown as SimEvent[];
    for (const ev of bad) {
      const codec = CODECS[ev.kind];
      const gen = outcome((w) => codec.write(w, ev));
      expect(gen.error, ev.kind).toBeDefined();
      expect(gen).toEqual(outcome((w) => codec.writeGeneric(w, ev)));
    }
  });
});

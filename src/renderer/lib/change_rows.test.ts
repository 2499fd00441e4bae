import { describe, expect, it } from 'vitest';
import type { ChangeTracks } from '../../protocol/change_tracks';
import { bandAt, counterAt, counterMax, layoutRows, pinnedRows, ROW_H, rowAt, slotBandAt } from './change_rows';

// strings: 0 'struct a', 1 'struct b', 2 'kptr map m[0].f', 3 'm', 4 'f', 5 'root', 6 'x', 7 'prog'
const tr: ChangeTracks = {
  t0: 0,
  t1: 100,
  strings: ['struct a', 'struct b', 'map m[0].f', 'm', 'f', 'root', 'x', 'prog'],
  objects: {
    id: Int32Array.from([9, 3, 5]),
    type: Int32Array.from([1, 0, 1]),
    born: Float64Array.from([10, NaN, 20]),
    died: Float64Array.from([50, NaN, 20]),
    leakedAt: Float64Array.from([NaN, NaN, NaN]),
    siteProgram: Int32Array.from([7, 7, 7]),
    siteLine: Int32Array.from([1, 1, 1]),
  },
  bands: { obj: Int32Array.from([0, 0, 1]), start: Float64Array.from([10, 30, 0]), end: Float64Array.from([30, 50, 100]), kind: Uint8Array.from([0, 1, 3]), label: Int32Array.from([7, 5, 2]), offset: Int32Array.from([0, 2, 3, 3]) },
  slots: { key: Int32Array.from([2]), map: Int32Array.from([3]), field: Int32Array.from([4]) },
  slotBands: { slot: Int32Array.from([0]), start: Float64Array.from([0]), end: Float64Array.from([100]), obj: Int32Array.from([3]), offset: Int32Array.from([0, 1]) },
  xchg: { slot: Int32Array.from([]), t: Float64Array.from([]), obj: Int32Array.from([]), offset: Int32Array.from([0, 0]) },
  counters: { name: Int32Array.from([5]), group: Int32Array.from([6]), offset: Int32Array.from([0, 3]), t: Float64Array.from([0, 30, 50]), v: Float64Array.from([0, 1, 0]) },
  truncated: false,
};

describe('change_rows', () => {
  const { rows, height } = layoutRows(tr);
  it('lays out counters, then slots, then objects grouped by type (by name) and sorted by id', () => {
    expect(rows.map((r) => r.kind)).toEqual(['header', 'counter', 'header', 'slot', 'header', 'obj', 'header', 'obj', 'obj']);
    const objs = rows.filter((r) => r.kind === 'obj').map((r) => (r.kind === 'obj' ? tr.objects.id[r.obj] : 0));
    expect(objs).toEqual([3, 5, 9]);
    expect(height).toBe(4 * ROW_H.header + ROW_H.counter + ROW_H.slot + 3 * ROW_H.obj);
  });
  it('folds a collapsed type under its header', () => {
    const folded = layoutRows(tr, ['struct b']);
    expect(folded.rows.map((r) => r.kind)).toEqual(['header', 'counter', 'header', 'slot', 'header', 'obj', 'header']);
    expect(folded.rows.at(-1)).toMatchObject({ kind: 'header', type: 'struct b' });
    expect(folded.height).toBe(height - 2 * ROW_H.obj);
  });
  it('finds the row under a y', () => {
    expect(rowAt(rows, 0)).toBe(0);
    expect(rowAt(rows, ROW_H.header)).toBe(1);
    expect(rowAt(rows, ROW_H.header + ROW_H.counter - 1)).toBe(1);
    expect(rowAt(rows, height + 5)).toBe(rows.length);
  });
  it('answers band, slot and counter values at a time', () => {
    expect(bandAt(tr, 0, 35)).toBe(1);
    expect(bandAt(tr, 0, 60)).toBe(-1);
    expect(slotBandAt(tr, 0, 99)).toBe(0);
    expect([counterAt(tr, 0, 29), counterAt(tr, 0, 30), counterAt(tr, 0, 70)]).toEqual([0, 1, 0]);
    expect(counterMax(tr, 0)).toBe(1);
  });
});

describe('pinned globals', () => {
  it('publishes each global series (group \'global\') with its row y and points, and no other counter', () => {
    // strings 8 'nr_direct', 9 'global'
    const g: ChangeTracks = {
      ...tr,
      strings: [...tr.strings, 'nr_direct', 'global'],
      counters: { name: Int32Array.from([5, 8]), group: Int32Array.from([6, 9]), offset: Int32Array.from([0, 3, 5]), t: Float64Array.from([0, 30, 50, 0, 40]), v: Float64Array.from([0, 1, 0, 7, 12]) },
    };
    const { rows } = layoutRows(g);
    // pinned globals come first among the counters
    expect(rows.slice(0, 3).map((r) => (r.kind === 'counter' ? r.series : r.kind))).toEqual(['header', 1, 0]);
    expect(pinnedRows(g, rows)).toBe(`nr_direct@${ROW_H.header}@0:7,40:12`);
    expect(pinnedRows(tr, layoutRows(tr).rows)).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { lodSlices } from './slice_lod';
import { buildLanes, sliceBatchOf } from './slice_lanes';

describe('lodSlices', () => {
  const lanes = buildLanes(
    sliceBatchOf([
      { cpu: 0, pid: 1, start: 0, end: 2 },
      { cpu: 0, pid: 2, start: 2, end: 7 },
      { cpu: 0, pid: 3, start: 7, end: 9 },
      { cpu: 0, pid: 4, start: 20, end: 60 },
      { cpu: 1, pid: 5, start: 0, end: 100 },
    ]),
  );

  it('merges consecutive short runs, counting them and keeping the longest pid', () => {
    const r = lodSlices(lanes, 0, 100, 10);
    expect(Array.from(r.cpu)).toEqual([0, 0, 1]);
    expect(Array.from(r.start)).toEqual([0, 20, 0]);
    expect(Array.from(r.end)).toEqual([9, 60, 100]);
    expect(Array.from(r.merged)).toEqual([3, 1, 1]);
    expect(Array.from(r.pid)).toEqual([2, 4, 5]);
  });

  it('keeps every run when zoomed in far enough', () => {
    const r = lodSlices(lanes, 0, 100, 1);
    expect(r.start.length).toBe(5);
    expect(Array.from(r.merged).every((m) => m === 1)).toBe(true);
  });

  it('only returns runs that reach into the window', () => {
    const r = lodSlices(lanes, 30, 50, 1);
    expect(Array.from(r.pid)).toEqual([4, 5]);
  });
});

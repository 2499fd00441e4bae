import { describe, expect, it } from 'vitest';
import { buildLanes, sliceAt, sliceBatchOf, walkLane } from './slice_lanes';
import type { RunSlices } from '../../protocol/contract';

function collect(lanes: ReturnType<typeof buildLanes>, lane: number, t0: number, t1: number, nsPerPx: number) {
  const rects: [number, number, number, boolean][] = [];
  walkLane(lanes, lane, t0, t1, (t) => (t - t0) / nsPerPx, (a, b, pid, m) => rects.push([a, b, pid, m]));
  return rects;
}

describe('buildLanes', () => {
  it('groups slices by CPU and orders each lane by start', () => {
    const batch = sliceBatchOf([
      { cpu: 1, pid: 5, start: 300, end: 400 },
      { cpu: 0, pid: 2, start: 100, end: 200 },
      { cpu: 1, pid: 6, start: 0, end: 100 },
    ]);
    const lanes = buildLanes(batch, 3);
    expect(lanes.lanes).toBe(3);
    expect(Array.from(lanes.laneOffset)).toEqual([0, 1, 3, 3]);
    expect(Array.from(lanes.sortedStart)).toEqual([100, 0, 300]);
  });
});

describe('walkLane', () => {
  it('draws wide slices one by one, including one that started before the window', () => {
    const lanes = buildLanes(
      sliceBatchOf([
        { cpu: 0, pid: 1, start: 0, end: 50 },
        { cpu: 0, pid: 2, start: 50, end: 100 },
        { cpu: 0, pid: 3, start: 500, end: 600 },
      ]),
    );
    expect(collect(lanes, 0, 20, 120, 1)).toEqual([
      [-20, 30, 1, false],
      [30, 80, 2, false],
    ]);
  });

  it('merges slices sharing a pixel column, keeping the longest task', () => {
    const lanes = buildLanes(
      sliceBatchOf([
        { cpu: 0, pid: 1, start: 0, end: 2 },
        { cpu: 0, pid: 2, start: 2, end: 8 },
        { cpu: 0, pid: 3, start: 30, end: 40 },
      ]),
    );
    expect(collect(lanes, 0, 0, 40, 10)).toEqual([
      [0, 1, 2, true],
      [3, 4, 3, false],
    ]);
  });

  it('keeps back-to-back slices apart whatever the fractional pixel bounds (no merge chain along a lane)', () => {
    // Four 20 ms slices of different tasks, at a scale where every bound falls at .6 of a pixel.
    const ms = 1_000_000;
    const rows = [3, 12, 17, 27].map((pid, j) => ({ cpu: 0, pid, start: j * 20 * ms, end: (j + 1) * 20 * ms }));
    const lanes = buildLanes(sliceBatchOf(rows));
    const nsPerPx = (20 * ms) / 110.6;
    const rects = collect(lanes, 0, 0, 80 * ms, nsPerPx);
    expect(rects.map((r) => r[2])).toEqual([3, 12, 17, 27]);
    expect(rects.every((r) => !r[3])).toBe(true);
    // Abutting, not overlapping, each about 110.6 px wide.
    for (let j = 1; j < rects.length; j++) expect(rects[j]![0]).toBe(rects[j - 1]![1]);
    for (const r of rects) expect(Math.abs(r[1] - r[0] - 110.6)).toBeLessThanOrEqual(1);
  });

  it('merges only slices each narrower than a pixel; a wide slice after a merged run keeps its own rectangle', () => {
    const lanes = buildLanes(
      sliceBatchOf([
        { cpu: 0, pid: 1, start: 0, end: 3 },
        { cpu: 0, pid: 2, start: 3, end: 5 },
        { cpu: 0, pid: 3, start: 5, end: 9 },
        { cpu: 0, pid: 4, start: 9, end: 40 },
      ]),
    );
    // 10 ns per pixel: the first three are narrow and share column 0; pid 4 spans 0.9..4 px.
    expect(collect(lanes, 0, 0, 40, 10)).toEqual([
      [0, 1, 3, true],
      [1, 4, 4, false],
    ]);
  });

  it('flags a slice the host already merged (merged > 1) as merged', () => {
    const batch = sliceBatchOf([{ cpu: 0, pid: 9, start: 0, end: 100 }]);
    batch.merged[0] = 5;
    expect(collect(buildLanes(batch), 0, 0, 100, 1)).toEqual([[0, 100, 9, true]]);
  });

  it('never emits more rectangles than the lane has pixel columns (1M slices)', () => {
    const n = 1_000_000;
    const batch: RunSlices = {
      t0: 0, t1: n * 1000, nsPerPx: 1, merged: new Uint32Array(n),
      cpu: new Int32Array(n), pid: new Int32Array(n), start: new Float64Array(n), end: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      batch.cpu[i] = i % 4;
      batch.pid[i] = 1 + (i % 37);
      batch.start[i] = Math.floor(i / 4) * 1000;
      batch.end[i] = Math.floor(i / 4) * 1000 + 700;
    }
    const lanes = buildLanes(batch);
    const width = 1200;
    const nsPerPx = (n / 4) * 1000 / width;
    let total = 0;
    for (let c = 0; c < 4; c++) total += walkLane(lanes, c, 0, (n / 4) * 1000, (t) => t / nsPerPx, () => {});
    expect(total).toBeLessThanOrEqual(4 * (width + 1));
    expect(total).toBeGreaterThan(0);
  });
});

describe('sliceAt', () => {
  it('finds the slice under a time, or none in a gap', () => {
    const batch = sliceBatchOf([
      { cpu: 0, pid: 1, start: 0, end: 50 },
      { cpu: 0, pid: 2, start: 80, end: 100 },
    ]);
    const lanes = buildLanes(batch);
    expect(batch.pid[sliceAt(lanes, 0, 10)]).toBe(1);
    expect(sliceAt(lanes, 0, 60)).toBe(-1);
    expect(batch.pid[sliceAt(lanes, 0, 80)]).toBe(2);
    expect(sliceAt(lanes, 3, 10)).toBe(-1);
  });
});

import { describe, expect, it } from 'vitest';
import { laneGroups, laneRows, rowOfCpu } from './lane_rows';

describe('laneGroups', () => {
  it('groups by NUMA node, else LLC, else blocks of 8 above 16 CPUs', () => {
    expect(laneGroups(64, { numa: 32, llc: 8 }).map((g) => [g.label, g.first, g.last])).toEqual([
      ['node 0', 0, 32],
      ['node 1', 32, 64],
    ]);
    expect(laneGroups(16, { llc: 4 })).toHaveLength(4);
    expect(laneGroups(64)).toHaveLength(8);
    expect(laneGroups(64)[7]).toEqual({ label: 'CPUs 56–63', first: 56, last: 64 });
    expect(laneGroups(8)).toEqual([]);
  });
});

describe('laneRows', () => {
  it('puts a header before each group and leaves out the CPUs of collapsed groups', () => {
    const groups = laneGroups(24);
    const rows = laneRows(24, groups, new Set([1]));
    expect(rows[0]).toEqual({ kind: 'group', group: 0 });
    expect(rows.filter((r) => r.kind === 'cpu')).toHaveLength(16);
    expect(rowOfCpu(rows, 9)).toBe(-1);
    expect(rowOfCpu(rows, 16)).toBe(11);
    expect(laneRows(4, [], new Set())).toEqual([0, 1, 2, 3].map((cpu) => ({ kind: 'cpu', cpu })));
  });
});

import { describe, expect, it } from 'vitest';
import { SliceFetcher, covers, requestWindow } from './slice_fetcher';
import { sliceBatchOf } from './slice_lanes';

describe('covers', () => {
  const have = { t0: 0, t1: 1000, nsPerPx: 10 };
  it('accepts a view inside the window at a similar resolution', () => {
    expect(covers(have, { t0: 100, t1: 900, nsPerPx: 10 })).toBe(true);
    expect(covers(have, { t0: 100, t1: 900, nsPerPx: 30 })).toBe(true);
  });
  it('refuses a view outside the window or too much finer', () => {
    expect(covers(have, { t0: 500, t1: 1500, nsPerPx: 10 })).toBe(false);
    expect(covers(have, { t0: 100, t1: 200, nsPerPx: 1 })).toBe(false);
    expect(covers(have, { t0: 100, t1: 200, nsPerPx: 100 })).toBe(false);
  });
});

describe('requestWindow', () => {
  it('adds a view of margin each side, clamped to the timeline', () => {
    expect(requestWindow({ t0: 100, t1: 200, nsPerPx: 1 }, 1000)).toEqual({ t0: 0, t1: 300, nsPerPx: 1 });
    expect(requestWindow({ t0: 500, t1: 600, nsPerPx: 1 }, 650)).toEqual({ t0: 400, t1: 650, nsPerPx: 1 });
  });
});

describe('SliceFetcher', () => {
  it('keeps one request in flight and serves the latest wish next', async () => {
    const asked: number[] = [];
    const resolvers: (() => void)[] = [];
    const f = new SliceFetcher(
      (w) =>
        new Promise((res) => {
          asked.push(w.t0);
          resolvers.push(() => res(sliceBatchOf([{ cpu: 1, pid: 3, start: w.t0, end: w.t0 + 5 }], w.t0, w.t1, w.nsPerPx)));
        }),
      () => {},
    );
    f.want({ t0: 1000, t1: 2000, nsPerPx: 1 }, 0, 1e6, 2);
    f.want({ t0: 5000, t1: 6000, nsPerPx: 1 }, 0, 1e6, 2);
    f.want({ t0: 9000, t1: 10000, nsPerPx: 1 }, 0, 1e6, 2);
    expect(asked).toEqual([0]);
    resolvers[0]!();
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toEqual([0, 8000]);
    resolvers[1]!();
    await new Promise((r) => setTimeout(r, 0));
    expect(f.lanes?.lanes).toBe(2);
    expect(f.lanes?.sortedStart[0]).toBe(8000);
    // Covered now at the same version: no new request; a new version refetches.
    f.want({ t0: 9000, t1: 10000, nsPerPx: 1 }, 0, 1e6, 2);
    expect(asked).toHaveLength(2);
    f.want({ t0: 9000, t1: 10000, nsPerPx: 1 }, 1, 1e6, 2);
    expect(asked).toHaveLength(3);
  });

  it('does not retry a failed request until the data version changes', async () => {
    let calls = 0;
    let errors = 0;
    const f = new SliceFetcher(
      async () => {
        calls++;
        throw new Error('no_timeline');
      },
      () => {},
      () => errors++,
    );
    f.want({ t0: 0, t1: 10, nsPerPx: 1 }, 3, 100, 1);
    await new Promise((r) => setTimeout(r, 0));
    f.want({ t0: 0, t1: 20, nsPerPx: 1 }, 3, 100, 1);
    await new Promise((r) => setTimeout(r, 0));
    expect([calls, errors]).toEqual([1, 1]);
    f.want({ t0: 0, t1: 20, nsPerPx: 1 }, 4, 100, 1);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(2);
  });
});

describe('SliceFetcher with answers that reach less far than asked', () => {
  it('draws the part it got and asks again for the rest', async () => {
    const asked: number[] = [];
    // the session has indexed up to 4000, then everything
    let ready = 4000;
    const f = new SliceFetcher(
      async (w) => {
        asked.push(w.t1);
        const t1 = Math.min(w.t1, ready);
        return sliceBatchOf([{ cpu: 0, pid: 3, start: w.t0, end: t1 }], w.t0, t1, w.nsPerPx);
      },
      () => {},
    );
    const view = { t0: 0, t1: 10_000, nsPerPx: 10 };
    f.want(view, 0, 10_000, 1);
    await new Promise((r) => setTimeout(r, 0));
    expect(f.lanes?.count).toBe(1);
    ready = Infinity;
    // same view, same data version: asked again because the answer stopped at 4000
    f.want(view, 0, 10_000, 1);
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toEqual([10_000, 10_000]);
    // now whole: no third request
    f.want(view, 0, 10_000, 1);
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toHaveLength(2);
  });
});

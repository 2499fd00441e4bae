import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../model/events';
import { eventsBefore, eventsFrom, indexOfCursor, nextEvent, prevEvent, seqOf, type FetchEvents } from './event_window';

/** The session's events query over an in-memory list: t0 <= t < t1, first `limit`, truncated flag. */
function over(times: number[]): { fetch: FetchEvents; calls: number[][] } {
  const all: SimEvent[] = times.map((t, i) => ({ t, kind: 'kick', cpu: i, target: 0, flags: [] }));
  const calls: number[][] = [];
  const fetch: FetchEvents = async (t0, t1, limit) => {
    calls.push([t0, t1, limit]);
    const hit = all.filter((e) => e.t >= t0 && e.t < t1);
    return { events: hit.slice(0, limit), truncated: hit.length > limit };
  };
  return { fetch, calls };
}

describe('eventsBefore', () => {
  it('finds the latest events before an instant far into a long run, widening from a small window', async () => {
    const times = Array.from({ length: 10_000 }, (_, i) => i * 1_000_000); // 10 s, one event per ms
    const { fetch, calls } = over(times);
    const r = await eventsBefore(fetch, 7_960_000_000, 50, 1000);
    expect(r.events).toHaveLength(50);
    expect(r.events[49]!.t).toBe(7_959_000_000);
    expect(r.events[0]!.t).toBe(7_910_000_000);
    expect(calls.length).toBeLessThan(20);
  });

  it('narrows a window holding too many events', async () => {
    const times = Array.from({ length: 5000 }, (_, i) => i);
    const { fetch } = over(times);
    const r = await eventsBefore(fetch, 4000, 10, 1e9);
    expect(r.events.map((e) => e.t)).toEqual([3990, 3991, 3992, 3993, 3994, 3995, 3996, 3997, 3998, 3999]);
  });

  it('keeps every event of the first instant it returns', async () => {
    const { fetch } = over([1, 5, 5, 5, 9]);
    const r = await eventsBefore(fetch, 9, 2, 100);
    expect(r.events.map((e) => e.t)).toEqual([5, 5, 5]);
    expect(r.wt0).toBe(5);
  });
});

describe('eventsFrom', () => {
  it('ends at a whole instant when cut short', async () => {
    const { fetch } = over([1, 2, 3, 3, 3, 4]);
    const r = await eventsFrom(fetch, 0, 4, 10);
    expect(r.events.map((e) => e.t)).toEqual([1, 2]);
    expect(r.wt1).toBe(3);
  });
});

describe('stepping event by event', () => {
  it('visits each of ten events sharing one timestamp, then moves on', async () => {
    const times = [100, ...Array(10).fill(175_000_000), 180_000_000];
    const { fetch } = over(times);
    let cur = { t: 100, seq: 0 };
    const seen: string[] = [];
    for (let i = 0; i < 11; i++) {
      cur = (await nextEvent(fetch, cur, 1e9))!;
      seen.push(`${cur.t}#${cur.seq}`);
    }
    expect(seen.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, k) => `175000000#${k}`));
    expect(seen[10]).toBe('180000000#0');
    // And back: the last of the ten first.
    const back = await prevEvent(fetch, { t: 180_000_000, seq: 0 }, 1000);
    expect(back).toEqual({ t: 175_000_000, seq: 9 });
    expect(await prevEvent(fetch, { t: 175_000_000, seq: 3 }, 1000)).toEqual({ t: 175_000_000, seq: 2 });
    expect(await prevEvent(fetch, { t: 100, seq: 0 }, 1000)).toBeNull();
    expect(await nextEvent(fetch, { t: 180_000_000, seq: 0 }, 1e9)).toBeNull();
  });

  it('steps from between events to the next one', async () => {
    const { fetch } = over([10, 20]);
    expect(await nextEvent(fetch, { t: 12.5, seq: 0 }, 100)).toEqual({ t: 20, seq: 0 });
  });
});

describe('indexOfCursor / seqOf', () => {
  it('locates the seq-th event of an instant', () => {
    const ev = [1, 3, 3, 3, 7].map((t) => ({ t, kind: 'kick', cpu: 0, target: 0, flags: [] }) as SimEvent);
    expect(indexOfCursor(ev, 3, 2)).toBe(3);
    expect(indexOfCursor(ev, 4, 0)).toBe(4);
    expect(seqOf(ev, 3)).toBe(2);
  });
});

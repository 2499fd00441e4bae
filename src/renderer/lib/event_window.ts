// Windowed access to a run's events around an instant, over the session's
// `events` query (t0 <= t < t1, the first `limit` in time order): the latest
// events before an instant (by widening or narrowing a window until it holds
// enough, without reading the whole trace), the events from an instant on,
// and event-by-event stepping when many events share one timestamp.
import type { SimEvent } from '../../model/events';

export type FetchEvents = (t0: number, t1: number, limit: number) => Promise<{ events: SimEvent[]; truncated: boolean }>;

/** A contiguous run of events: every event with wt0 <= t < wt1 (of the kinds asked for). */
export interface EventSpan {
  events: SimEvent[];
  wt0: number;
  wt1: number;
}

/**
 * The last (up to) `n` events before instant t (t' < t), oldest first, and
 * the start of the window they complete. `span` is the first window width to
 * try; it grows by 4 until the window holds n events (or reaches `floor`),
 * then bisects between a width with too few and one with more than 4n.
 */
export async function eventsBefore(fetch: FetchEvents, t: number, n: number, span: number, floor = 0): Promise<EventSpan> {
  let width = Math.max(1, span);
  let lo = 0; // widest window known to hold fewer than n events
  let hi = Infinity; // narrowest window known to hold more than 4n
  let good: EventSpan | null = null;
  for (let round = 0; round < 80 && t > floor; round++) {
    const t0 = Math.max(floor, t - width);
    const r = await fetch(t0, t, 4 * n);
    if (r.truncated) {
      hi = width;
      if (hi - lo <= 1) {
        // One instant at the window's start holds more than 4n events: take all of it.
        const at = await fetch(t0, Math.min(t, t0 + 1), 100_000);
        const rest = good?.events ?? [];
        return trimmed({ events: [...at.events, ...rest], wt0: t0, wt1: t }, n);
      }
    } else {
      good = { events: r.events, wt0: t0, wt1: t };
      if (r.events.length >= n || t0 <= floor) break;
      lo = width;
    }
    width = hi === Infinity ? width * 4 : Math.max(lo + 1, Math.floor((lo + hi) / 2));
  }
  return good ? trimmed(good, n) : { events: [], wt0: t, wt1: t };
}

/** Keep about the last n events of a complete span, cutting only between instants. */
function trimmed(span: EventSpan, n: number): EventSpan {
  const ev = span.events;
  if (ev.length <= n) return span;
  const cut = ev[ev.length - n]!.t;
  // All of the cut instant's events stay, so the span is still complete from `cut` on.
  return { events: ev.filter((e) => e.t >= cut), wt0: cut, wt1: span.wt1 };
}

/**
 * Events from instant t on (t' >= t), at most about `n`, ending at a whole
 * instant: when the query was cut short, the events at the last instant are
 * dropped (they may be incomplete) unless that would drop them all.
 */
export async function eventsFrom(fetch: FetchEvents, t: number, n: number, end: number): Promise<EventSpan> {
  if (t >= end) return { events: [], wt0: t, wt1: t };
  const r = await fetch(t, end, n);
  if (!r.truncated) return { events: r.events, wt0: t, wt1: end };
  const lastT = r.events[r.events.length - 1]!.t;
  const whole = r.events.filter((e) => e.t < lastT);
  if (whole.length > 0) return { events: whole, wt0: t, wt1: lastT };
  // Every event is at one instant: ask for all of it.
  const all = await fetch(lastT, lastT + 1, 100_000);
  return { events: all.events, wt0: t, wt1: lastT + 1 };
}

/** Index in `events` (time order) of the seq-th event at instant t, or of the first event after t; events.length if none. */
export function indexOfCursor(events: readonly SimEvent[], t: number, seq: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo < events.length && events[lo]!.t === t) {
    const k = lo + seq;
    if (k < events.length && events[k]!.t === t) return k;
  }
  return lo;
}

/** Position of events[i] among the events at its instant (0 = first). */
export function seqOf(events: readonly SimEvent[], i: number): number {
  let k = i;
  while (k > 0 && events[k - 1]!.t === events[i]!.t) k--;
  return i - k;
}

export interface CursorPos {
  t: number;
  seq: number;
}

/**
 * The next event after (t, seq), where seq counts events at instant t:
 * the following event at the same instant, or the first one after it.
 * null at the end.
 */
export async function nextEvent(fetch: FetchEvents, cur: CursorPos, end: number): Promise<CursorPos | null> {
  if (cur.t >= end) return null;
  const r = await fetch(cur.t, end, cur.seq + 2);
  const first = r.events[0];
  if (!first) return null;
  // Not on an event (a click between events): the first one after the cursor.
  if (first.t !== cur.t) return { t: first.t, seq: 0 };
  const at = r.events.filter((e) => e.t === cur.t).length;
  if (cur.seq + 1 < at) return { t: cur.t, seq: cur.seq + 1 };
  const after = r.events.find((e) => e.t > cur.t);
  if (after) return { t: after.t, seq: 0 };
  // Fewer fetched than needed to see past this instant: ask from the next nanosecond.
  const r2 = await fetch(Math.floor(cur.t) + 1, end, 1);
  return r2.events[0] ? { t: r2.events[0].t, seq: 0 } : null;
}

/** The event before (t, seq): the previous one at the same instant, or the last one before it. null at the start. */
export async function prevEvent(fetch: FetchEvents, cur: CursorPos, span: number): Promise<CursorPos | null> {
  if (cur.seq > 0) return { t: cur.t, seq: cur.seq - 1 };
  const before = await eventsBefore(fetch, cur.t, 1, span);
  const last = before.events[before.events.length - 1];
  if (!last) return null;
  // All events at that instant (the window above may hold only the last ones).
  const all = await fetch(last.t, last.t + 1, 100_000);
  return { t: last.t, seq: Math.max(0, all.events.length - 1) };
}

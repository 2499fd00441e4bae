// The simulated machine's clock: a min-heap of timed events. Ties are broken
// by insertion order so a run is the same every time (the determinism rule
// of DESIGN "The simulated kernel").

export interface TimedEvent<P> {
  t: number;
  seq: number;
  payload: P;
}

export class EventQueue<P> {
  private heap: TimedEvent<P>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(t: number, payload: P): void {
    const ev: TimedEvent<P> = { t, seq: this.nextSeq++, payload };
    const h = this.heap;
    let i = h.length;
    h.push(ev);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(ev, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = ev;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.heap.length > 0 ? this.heap[0]!.t : Infinity;
  }

  pop(): TimedEvent<P> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r]!, h[l]!) ? r : l;
        if (!before(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function before<P>(a: TimedEvent<P>, b: TimedEvent<P>): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}

// The simulated machine's clock: a min-heap of timed events. Ties are broken
// by insertion order so a run is the same every time (same object, workload
// and seed: same run). The heap keeps times, sequence numbers
// and payloads in parallel arrays, so queuing an event allocates no wrapper.

export interface TimedEvent<P> {
  t: number;
  seq: number;
  payload: P;
}

export class EventQueue<P> {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly payloads: P[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.times.length;
  }

  push(t: number, payload: P): void {
    const times = this.times;
    const seqs = this.seqs;
    const payloads = this.payloads;
    const seq = this.nextSeq++;
    let i = times.length;
    times.push(t);
    seqs.push(seq);
    payloads.push(payload);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      // before(ev, parent): earlier time, or the same time and queued first
      if (!(t < pt || (t === pt && seq < seqs[parent]!))) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      payloads[i] = payloads[parent]!;
      i = parent;
    }
    times[i] = t;
    seqs[i] = seq;
    payloads[i] = payload;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.times.length > 0 ? this.times[0]! : Infinity;
  }

  pop(): TimedEvent<P> | undefined {
    if (this.times.length === 0) return undefined;
    const t = this.times[0]!;
    const seq = this.seqs[0]!;
    const payload = this.popPayload() as P;
    return { t, seq, payload };
  }

  /** Remove the earliest event and return its payload (its time is peekTime() before the call). Undefined when empty. */
  popPayload(): P | undefined {
    const times = this.times;
    if (times.length === 0) return undefined;
    const seqs = this.seqs;
    const payloads = this.payloads;
    const top = payloads[0]!;
    const lastT = times.pop()!;
    const lastSeq = seqs.pop()!;
    const last = payloads.pop()!;
    const n = times.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n) {
          const rt = times[r]!;
          const lt = times[l]!;
          if (rt < lt || (rt === lt && seqs[r]! < seqs[l]!)) c = r;
        }
        const ct = times[c]!;
        // !before(child, last)
        if (!(ct < lastT || (ct === lastT && seqs[c]! < lastSeq))) break;
        times[i] = ct;
        seqs[i] = seqs[c]!;
        payloads[i] = payloads[c]!;
        i = c;
      }
      times[i] = lastT;
      seqs[i] = lastSeq;
      payloads[i] = last;
    }
    return top;
  }
}

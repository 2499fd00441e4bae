// While a live run is running, the session's thread both simulates and
// answers the renderer. Whole-window queries (change tracks, flows, marks)
// over a growing trace can cost seconds each, and the renderer re-asks as the
// run advances: unpaced they took more than half the thread and made a run in
// the UI ~3x slower than the same run in the CLI. The pacer runs them one at a
// time and, after each, waits long enough that they take at most `share` of
// the thread's wall time; the simulation runs in the gaps. Without a running
// run, queries go straight through.

export class QueryPacer {
  private queue: Promise<unknown> = Promise.resolve();
  private nextAt = 0;

  constructor(
    /** Largest share (0..1) of wall time the paced queries may take while a run is running. */
    private readonly share: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** fn(), at once when `paced()` is false; else after the pause its predecessors earned. */
  run<T>(paced: () => boolean, fn: () => T): Promise<T> {
    if (!paced()) return Promise.resolve().then(fn);
    const turn = this.queue.then(async () => {
      const wait = this.nextAt - this.now();
      if (wait > 0 && paced()) await this.sleep(wait);
      const t0 = this.now();
      try {
        return fn();
      } finally {
        const spent = this.now() - t0;
        this.nextAt = this.now() + (spent * (1 - this.share)) / this.share;
      }
    });
    this.queue = turn.catch(() => {});
    return turn;
  }
}

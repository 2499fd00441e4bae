// One "state at an instant" kept current: asks the session for stateAt(t),
// one request at a time, the newest wanted instant winning (a cursor dragged
// across the timeline asks once per answer, not once per pixel). A failure is
// reported once until its message changes. The cursor's snapshot and the
// rbtree diff's base (state at T) are both kept by one of these.
import type { SimSnapshot } from '../../model/events';
import { describeFailure, type Session } from './session_client';

export class SnapshotQuery {
  #inFlight = false;
  #wanted: number | null = null;
  #failed = '';

  constructor(
    /** A getter, so a component passes its current prop. */
    private readonly session: () => Session,
    /** The state at `t` arrived (t as asked, before rounding). */
    private readonly onSnapshot: (snap: SimSnapshot, t: number) => void,
    private readonly onFailure: (f: { file?: string; message: string }) => void,
  ) {}

  want(t: number): void {
    this.#wanted = t;
    if (!this.#inFlight) void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#inFlight = true;
    while (this.#wanted !== null) {
      const t = this.#wanted;
      this.#wanted = null;
      try {
        this.onSnapshot(await this.session().call('stateAt', { t: Math.max(0, Math.round(t)) }), t);
      } catch (e) {
        const f = describeFailure(e);
        if (f.message !== this.#failed) this.onFailure(f);
        this.#failed = f.message;
      }
    }
    this.#inFlight = false;
  }
}

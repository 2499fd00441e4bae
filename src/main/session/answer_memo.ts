// The last answer of each costly whole-window query (change tracks, flows,
// line counts, range summaries, setup marks) over an opened trace, which
// never changes: a renderer that asks the same question again (an effect
// re-run by an unrelated change, a click on the task already selected) gets it
// without re-reading the trace, so the session is free for the cursor's
// stateAt. A live run's growing timeline is never memoised.

import type { Timeline } from './timeline';

export class AnswerMemo {
  private readonly last = new Map<string, { timeline: Timeline; key: string; value: unknown }>();

  /** compute(timeline), or the previous answer to the same method and params over the same unchanging timeline. */
  answer<T>(method: string, timeline: Timeline, params: unknown, compute: (timeline: Timeline) => T): T {
    if (!timeline.unchanging) return compute(timeline);
    const key = JSON.stringify(params);
    const hit = this.last.get(method);
    if (hit && hit.timeline === timeline && hit.key === key) return hit.value as T;
    const value = compute(timeline);
    this.last.set(method, { timeline, key, value });
    return value;
  }

  clear(): void {
    this.last.clear();
  }
}

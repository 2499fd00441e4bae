// Costly queries over an opened trace are answered once per question; a live
// (changing) timeline is always asked again.

import { describe, expect, it } from 'vitest';
import { AnswerMemo } from './answer_memo';
import type { Timeline } from './timeline';

const timeline = (unchanging: boolean): Timeline => ({
  unchanging,
  durationNs: () => 10,
  runSlices: () => {
    throw new Error('not used');
  },
  stateAt: () => {
    throw new Error('not used');
  },
  events: () => ({ events: [], truncated: false }),
  close: () => {},
});

describe('AnswerMemo', () => {
  it('computes a question once over an unchanging timeline, again for other params, methods or timelines', () => {
    const memo = new AnswerMemo();
    const tl = timeline(true);
    let computed = 0;
    const q = (method: string, on: Timeline, params: unknown) => memo.answer(method, on, params, () => ({ n: ++computed }));
    const first = q('changeTracks', tl, { t0: 0, t1: 5, pid: 3 });
    expect(q('changeTracks', tl, { t0: 0, t1: 5, pid: 3 })).toBe(first);
    expect(computed).toBe(1);
    expect(q('changeTracks', tl, { t0: 0, t1: 5, pid: 4 }).n).toBe(2);
    expect(q('flows', tl, { t0: 0, t1: 5, pid: 4 }).n).toBe(3);
    expect(q('changeTracks', timeline(true), { t0: 0, t1: 5, pid: 4 }).n).toBe(4);
    memo.clear();
    expect(q('flows', tl, { t0: 0, t1: 5, pid: 4 }).n).toBe(5);
  });

  it('never keeps answers over a changing (live) timeline', () => {
    const memo = new AnswerMemo();
    const tl = timeline(false);
    let computed = 0;
    memo.answer('changeTracks', tl, { t0: 0 }, () => ++computed);
    memo.answer('changeTracks', tl, { t0: 0 }, () => ++computed);
    expect(computed).toBe(2);
  });
});

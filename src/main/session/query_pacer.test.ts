// Paced queries take at most their share of wall time while a run runs, one
// at a time; unpaced ones go straight through.

import { describe, expect, it } from 'vitest';
import { QueryPacer } from './query_pacer';

/** A clock the queries and the sleeps advance, so the test reads exact times. */
function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    advance: (ms: number) => (t += ms),
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

describe('QueryPacer', () => {
  it('after a paced query of 100 ms at a 20% share, the next one waits 400 ms; they never overlap', async () => {
    const c = fakeClock();
    const pacer = new QueryPacer(0.2, c.now, c.sleep);
    const starts: number[] = [];
    const query = (n: number) => () => {
      starts.push(c.now());
      c.advance(100);
      return n;
    };
    const answers = await Promise.all([pacer.run(() => true, query(1)), pacer.run(() => true, query(2)), pacer.run(() => true, query(3))]);
    expect(answers).toEqual([1, 2, 3]);
    expect(starts).toEqual([0, 500, 1000]);
    expect(c.sleeps).toEqual([400, 400]);
  });

  it('does not wait when no run is running, and a failing query does not stop the next', async () => {
    const c = fakeClock();
    const pacer = new QueryPacer(0.2, c.now, c.sleep);
    await expect(
      pacer.run(
        () => true,
        () => {
          c.advance(50);
          throw new Error('bad window');
        },
      ),
    ).rejects.toThrow('bad window');
    expect(await pacer.run(() => false, () => 'now')).toBe('now');
    expect(c.sleeps).toEqual([]);
    expect(await pacer.run(() => true, () => 'later')).toBe('later');
    expect(c.sleeps).toEqual([200]);
  });
});

import { describe, expect, it } from 'vitest';
import { openTraceHash, parseOpenHash } from './open_link';

describe('the open-a-trace link', () => {
  it('round-trips a path with spaces and an instant, and leaves other hashes alone', () => {
    const h = openTraceHash('/tmp/my runs/x.scxtrace', 1_250_000_000.4);
    expect(h.startsWith('#open=')).toBe(true);
    expect(parseOpenHash(h)).toEqual({ path: '/tmp/my runs/x.scxtrace', atNs: 1_250_000_000 });
    expect(parseOpenHash(openTraceHash('a.scxtrace'))).toEqual({ path: 'a.scxtrace' });
    expect(parseOpenHash('#bench-timeline=1000')).toBeUndefined();
    expect(parseOpenHash('#open=a.scxtrace&at=-5')).toEqual({ path: 'a.scxtrace' });
  });
});

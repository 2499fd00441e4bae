import { describe, expect, it } from 'vitest';
import { readTime } from './time_text';

describe('readTime', () => {
  it('reads the CLI forms and what the UI prints', () => {
    expect(readTime('1.5s')).toBe(1_500_000_000);
    expect(readTime('200ms')).toBe(200_000_000);
    expect(readTime('30us')).toBe(30_000);
    expect(readTime('30 µs')).toBe(30_000);
    expect(readTime('1.204 s')).toBe(1_204_000_000);
    expect(readTime(' 1200 ')).toBe(1200);
    expect(readTime('.5ms')).toBe(500_000);
  });
  it('refuses what is not a time', () => {
    expect(readTime('')).toBeNull();
    expect(readTime('-1ms')).toBeNull();
    expect(readTime('5 min')).toBeNull();
    expect(readTime('1.2.3s')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { dsqName, formatDuration, formatTimestamp, ownerText } from './format';

describe('formatDuration', () => {
  it('picks the largest unit that keeps the value at least 1', () => {
    expect(formatDuration(1_500_000)).toBe('1.5 ms');
    expect(formatDuration(20_000_000)).toBe('20 ms');
    expect(formatDuration(2_000_000_000)).toBe('2 s');
    expect(formatDuration(999)).toBe('999 ns');
    expect(formatDuration(1_234)).toBe('1.234 µs');
  });
  it('keeps sign and handles non-finite input', () => {
    expect(formatDuration(-3_000)).toBe('-3 µs');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('formatTimestamp', () => {
  it('groups nanoseconds in threes', () => {
    expect(formatTimestamp(1_234_567_891)).toBe('1.234 567 891 s');
    expect(formatTimestamp(5)).toBe('0.000 000 005 s');
  });
});

describe('ownerText', () => {
  it('names each kind of owner', () => {
    expect(ownerText({ kind: 'rb_root', root: 'map tree[0].root' })).toBe('rbtree map tree[0].root');
    expect(ownerText({ kind: 'program', program: 'enqueue', cpu: 2 })).toBe('program enqueue on CPU 2');
    expect(ownerText({ kind: 'kptr', slot: 'map task_ctx[pid 42].stash' })).toBe('kptr map task_ctx[pid 42].stash');
    expect(ownerText({ kind: 'freed' })).toBe('freed');
  });
});

describe('dsqName', () => {
  it('names built-in DSQs like the kernel header does', () => {
    expect(dsqName('0x8000000000000001')).toBe('GLOBAL');
    expect(dsqName('0x8000000000000002')).toBe('LOCAL');
    expect(dsqName('0xc000000000000003')).toBe('LOCAL(3)');
    expect(dsqName('0x0')).toBe('DSQ 0');
    expect(dsqName('0x2a')).toBe('DSQ 42');
    expect(dsqName('not hex')).toBe('not hex');
  });
});

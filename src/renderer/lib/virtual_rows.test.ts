import { describe, expect, it } from 'vitest';
import { visibleRows } from './virtual_rows';

describe('visibleRows', () => {
  it('covers the viewport plus overscan and clamps at the ends', () => {
    expect(visibleRows(0, 100, 20, 1000, 2)).toEqual({ first: 0, last: 7, offsetPx: 0 });
    expect(visibleRows(2000, 100, 20, 1000, 2)).toEqual({ first: 98, last: 107, offsetPx: 1960 });
    expect(visibleRows(19_990, 100, 20, 1000, 2).last).toBe(1000);
  });
  it('is empty for no rows', () => {
    expect(visibleRows(0, 100, 20, 0)).toEqual({ first: 0, last: 0, offsetPx: 0 });
  });
});

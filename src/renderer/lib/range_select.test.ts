import { describe, expect, it } from 'vitest';
import { MIN_DRAG_PX, RangeDrag, rangeShade } from './range_select';

describe('RangeDrag', () => {
  it('selects from where the drag started to where it is, in either direction, and swallows the click that ends it', () => {
    const d = new RangeDrag();
    d.start(100, 5000);
    expect(d.active).toBe(true);
    expect(d.move(101, 5010)).toBeNull(); // still a click
    expect(d.move(100 + MIN_DRAG_PX, 6000)).toEqual({ t0: 5000, t1: 6000 });
    // back past the start: the range flips, and returning near the start still counts as a drag
    expect(d.move(40, 2000)).toEqual({ t0: 2000, t1: 5000 });
    expect(d.move(100, 5000)).toEqual({ t0: 5000, t1: 5000 });
    d.end();
    expect(d.active).toBe(false);
    expect(d.takeClick()).toBe(true);
    expect(d.takeClick()).toBe(false);
  });

  it('a Shift+click that does not move is no selection and lets its click through', () => {
    const d = new RangeDrag();
    d.start(100, 5000);
    expect(d.move(102, 5020)).toBeNull();
    d.end();
    expect(d.takeClick()).toBe(false);
    expect(d.move(300, 9000)).toBeNull(); // not dragging any more
  });
});

describe('rangeShade', () => {
  it('maps the range onto the track and clips it to the visible window', () => {
    expect(rangeShade({ t0: 250, t1: 500 }, 0, 1000, 64, 1064)).toEqual({ left: 314, width: 250 });
    expect(rangeShade({ t0: -100, t1: 2000 }, 0, 1000, 64, 1064)).toEqual({ left: 64, width: 1000 });
    expect(rangeShade({ t0: 1500, t1: 2000 }, 0, 1000, 64, 1064)).toBeNull();
    expect(rangeShade(null, 0, 1000, 64, 1064)).toBeNull();
    // a zero-width range still shows as a 1 px line
    expect(rangeShade({ t0: 500, t1: 500 }, 0, 1000, 64, 1064)).toEqual({ left: 564, width: 1 });
  });
});

// Selecting a time range on the timeline (Shift+drag across the CPU lanes;
// a plain drag pans, a drag on the axis scrubs): the drag's state, and where
// the selected range's shade falls on a track drawn over [t0, t1) from x0 to
// x1. The range itself is DebuggerState.range.

export interface TimeRange {
  t0: number;
  t1: number;
}

/** A drag narrower than this (CSS px) is a Shift+click: it clears the range instead of selecting one. */
export const MIN_DRAG_PX = 3;

export class RangeDrag {
  private from: { x: number; t: number } | null = null;
  /** The last drag moved the pointer far enough to count as a selection (the click that follows must not move the cursor). */
  selected = false;

  get active(): boolean {
    return this.from !== null;
  }

  start(x: number, t: number): void {
    this.from = { x, t };
    this.selected = false;
  }

  /** The range from where the drag started to instant t at x; null while still within a click's reach. */
  move(x: number, t: number): TimeRange | null {
    if (!this.from) return null;
    if (Math.abs(x - this.from.x) < MIN_DRAG_PX && !this.selected) return null;
    this.selected = true;
    return { t0: Math.min(this.from.t, t), t1: Math.max(this.from.t, t) };
  }

  end(): void {
    this.from = null;
  }

  /** Whether the click that ends a drag should be swallowed; reading it forgets it. */
  takeClick(): boolean {
    const s = this.selected;
    this.selected = false;
    return s;
  }
}

/** The shade of `range` on a track showing [t0, t1) between x0 and x1 (CSS px), clipped to it; null when off screen. */
export function rangeShade(range: TimeRange | null, t0: number, t1: number, x0: number, x1: number): { left: number; width: number } | null {
  if (!range || !(t1 > t0) || range.t1 < t0 || range.t0 > t1) return null;
  const x = (t: number): number => x0 + ((t - t0) / (t1 - t0)) * (x1 - x0);
  const left = Math.max(x0, x(range.t0));
  const right = Math.min(x1, x(range.t1));
  return { left, width: Math.max(1, right - left) };
}

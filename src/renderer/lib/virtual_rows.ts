// Which rows of a fixed-row-height table are on screen, so the events table
// keeps a few dozen DOM rows whatever the number of events.

export interface RowWindow {
  first: number;
  last: number; // exclusive
  offsetPx: number;
}

export function visibleRows(scrollTop: number, viewportPx: number, rowPx: number, count: number, overscan = 8): RowWindow {
  if (count <= 0 || rowPx <= 0) return { first: 0, last: 0, offsetPx: 0 };
  const first = Math.max(0, Math.floor(scrollTop / rowPx) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewportPx) / rowPx) + overscan);
  return { first, last, offsetPx: first * rowPx };
}

// Virtual-time strings for the CLI: "1.5s", "200ms", "30us", "1200ns", or a
// bare number of nanoseconds; ranges "1s..2s" with either end optional.

import { readTime } from '../../base/time_text';
import { TraceError } from './errors';

export function parseTime(text: string): number {
  const ns = readTime(text);
  if (ns === null) throw new TraceError('bad_argument', `cannot read "${text}" as a time; write e.g. 1.5s, 200ms, 30us or 1200ns`);
  return ns;
}

export function parseTimeRange(text: string): [number, number] {
  const parts = text.split('..');
  if (parts.length !== 2) throw new TraceError('bad_argument', `cannot read "${text}" as a time range; write e.g. 1s..2s, ..500ms or 1s..`);
  const t0 = parts[0]!.trim() === '' ? -Infinity : parseTime(parts[0]!);
  const t1 = parts[1]!.trim() === '' ? Infinity : parseTime(parts[1]!);
  if (t1 < t0) throw new TraceError('bad_argument', `time range "${text}" ends before it starts`);
  return [t0, t1];
}

/** "1.500000000s" style: seconds with full ns precision, fixed width after the point. */
export function formatTime(ns: number): string {
  const s = Math.floor(ns / 1e9);
  const rest = String(Math.round(ns - s * 1e9)).padStart(9, '0');
  return `${s}.${rest}s`;
}

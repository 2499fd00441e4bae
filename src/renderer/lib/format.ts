// Human-readable virtual times (nanoseconds, see src/model/events.ts) and owners.

const UNITS: [number, string][] = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

/** "12.345 ms" style, picking the largest unit that keeps the value ≥ 1. */
export function formatDuration(ns: number, digits = 3): string {
  if (!Number.isFinite(ns)) return '—';
  const abs = Math.abs(ns);
  for (const [scale, unit] of UNITS) {
    if (abs >= scale || scale === 1) {
      const v = ns / scale;
      const text = scale === 1 ? String(Math.round(v)) : v.toFixed(digits).replace(/\.?0+$/, '');
      return `${text} ${unit}`;
    }
  }
  return `${ns} ns`;
}

/** A fixed-width timestamp for the toolbar readout: seconds with nanosecond precision. */
export function formatTimestamp(ns: number): string {
  if (!Number.isFinite(ns) || ns < 0) return '0.000 000 000 s';
  const whole = Math.floor(ns / 1e9);
  const frac = String(Math.floor(ns % 1e9)).padStart(9, '0');
  return `${whole}.${frac.slice(0, 3)} ${frac.slice(3, 6)} ${frac.slice(6, 9)} s`;
}

export { dsqName, ownerText } from '../../model/text';

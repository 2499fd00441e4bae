// Virtual times as people type them: "1.5s", "200ms", "30us", "1200ns", a bare
// number of nanoseconds, and what the UI prints ("1.204 s", "30 µs", with a
// space). One reader for the CLI's arguments and the UI's time fields.

const UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9 };

/** Nanoseconds, or null when the text is not a time. */
export function readTime(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ns|us|µs|ms|s)?\s*$/.exec(text);
  if (!m) return null;
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 'ns']!);
}

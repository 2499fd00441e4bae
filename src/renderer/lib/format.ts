// Human-readable virtual times (nanoseconds, see src/model/events.ts) and owners.
import type { OwnerRef } from '../../model/events';

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

// Built-in DSQ ids, like include/linux/sched/ext.h: SCX_DSQ_FLAG_BUILTIN is
// bit 63, SCX_DSQ_FLAG_LOCAL_ON bit 62 (the CPU in the low 32 bits),
// SCX_DSQ_GLOBAL = BUILTIN | 1, SCX_DSQ_LOCAL = BUILTIN | 2.
const DSQ_BUILTIN = 1n << 63n;
const DSQ_LOCAL_ON = 1n << 62n;

/** A DSQ id in hex ("0x8000000000000001") as people say it: GLOBAL, LOCAL, LOCAL(3), DSQ 7. */
export function dsqName(id: string): string {
  let v: bigint;
  try {
    v = BigInt(id);
  } catch {
    return id;
  }
  if ((v & DSQ_BUILTIN) === 0n) return `DSQ ${v}`;
  if ((v & DSQ_LOCAL_ON) !== 0n) return `LOCAL(${v & 0xffffffffn})`;
  const low = v & ~DSQ_BUILTIN;
  if (low === 1n) return 'GLOBAL';
  if (low === 2n) return 'LOCAL';
  if (low === 0n) return 'INVALID';
  return id;
}

/** Who holds a heap object, in words: "rbtree map tree[0].root", "program enqueue on CPU 2", ... */
export function ownerText(o: OwnerRef): string {
  switch (o.kind) {
    case 'program':
      return `program ${o.program} on CPU ${o.cpu}`;
    case 'rb_root':
      return `rbtree ${o.root}`;
    case 'list_head':
      return `list ${o.root}`;
    case 'kptr':
      return `kptr ${o.slot}`;
    case 'refcount':
      return `shared (${o.count} refs)`;
    case 'freed':
      return 'freed';
  }
}

// `scxray replay TRACE --summary` as text: the range summary's tables
// (protocol/range_summary.ts) in aligned columns, durations in ms. --json prints
// the RangeSummary itself, the same object the UI's Range tab shows.

import type { RangePercentiles, RangeSummary } from '../../protocol/range_summary';
import { formatTime } from '../../sim/trace/time_units';

const ms = (ns: number): string => `${(ns / 1e6).toFixed(3)}ms`;

/** Rows of cells as aligned text: numbers right-aligned, the first column (and a `textLast` one) left-aligned. */
function table(head: string[], rows: string[][], textLast = false): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const left = (i: number): boolean => i === 0 || (textLast && i === head.length - 1);
  const line = (r: string[]): string => '  ' + r.map((c, i) => (left(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}

const latency = (p: RangePercentiles): string[] =>
  p.samples > 0 ? [String(p.samples), ms(p.p50), ms(p.p90), ms(p.p99), ms(p.max)] : ['0', '-', '-', '-', '-'];

export function formatRangeSummary(file: string, s: RangeSummary): string {
  const out: string[] = [];
  out.push(`${file}: ${formatTime(s.t0)} .. ${formatTime(s.t1)} (${ms(s.t1 - s.t0)}, ${s.events} events read)${s.truncated ? ' — cut short: more events than one summary reads; the figures stop at the end shown' : ''}`);
  const w = s.wakeLatencyNs;
  out.push(w.samples > 0 ? `wakeup latency p50 ${ms(w.p50)} p90 ${ms(w.p90)} p99 ${ms(w.p99)} max ${ms(w.max)} (${w.samples} wakeups)` : 'wakeup latency: no wakeup ran inside the range');
  out.push('', `tasks (${s.tasks.length} ran, waited or woke)`);
  out.push(...table(
    ['task', 'runtime', 'wait', 'runs', 'wakeups', 'p50', 'p90', 'p99', 'max'],
    s.tasks.map((t) => [`${t.comm} (${t.pid})`, ms(t.runtimeNs), ms(t.waitNs), String(t.runs), ...latency(t.wakeLatencyNs)]),
  ));
  out.push('', `ops (${s.ops.length})`);
  out.push(...table(['op', 'calls', 'insns', 'mean insns'], s.ops.map((o) => [o.op, String(o.calls), String(o.insns), o.meanInsns.toFixed(1)])));
  out.push('', `source lines with ownership events (${s.lines.length})`);
  out.push(...table(
    ['line', 'events', 'allocs', 'moves', 'frees', 'program'],
    s.lines.map((l) => [`${l.file || l.program}:${l.line}`, String(l.alloc + l.move + l.free), String(l.alloc), String(l.move), String(l.free), l.program]),
    true,
  ));
  out.push('', `DSQs (${s.dsqs.length} with a task queued)`);
  out.push(...table(['dsq', 'max depth', 'at start', 'inserts'], s.dsqs.map((d) => [d.dsq, String(d.maxDepth), String(d.startDepth), String(d.inserts)])));
  return out.join('\n') + '\n';
}

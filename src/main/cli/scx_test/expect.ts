// Evaluate a spec's expectations on one run: each failed expectation says
// what was expected, what happened, and the instant to look at in the trace
// (the ejection, the first unexpected diagnostic, the start of the worst
// wakeup, or the end of the run for whole-run figures).

import type { RunResult } from '../../../api/index';
import { parseDuration } from '../../../sim/workload/schema';
import { formatTime } from '../../../sim/trace/time_units';
import type { CheckFn, CheckOutcome, Expectations } from './spec';

export interface ExpectFailure {
  /** The expectation's name in the spec: "noEjection", "wakeupLatency", "check.myName", … */
  expectation: string;
  message: string;
  /** Instant (ns) to open the trace at. */
  at: number;
}

const fmt = (ns: number): string => formatTime(ns);
/** A duration for messages: "1.250ms", "84.6us". */
const dur = (ns: number): string => (ns >= 1e6 ? `${(ns / 1e6).toFixed(3)}ms` : `${(ns / 1e3).toFixed(1)}us`);

function firstEventAt(run: RunResult, kind: 'exit' | 'diagnostic', match: (e: unknown) => boolean = () => true): number | undefined {
  return run.events({ kind }).find(match)?.t;
}

function outcome(name: string, r: CheckOutcome, end: number): ExpectFailure | undefined {
  if (r === undefined || r === true) return undefined;
  if (r === false) return { expectation: name, message: 'the check returned false', at: end };
  if (typeof r === 'string') return { expectation: name, message: r, at: end };
  if (typeof r === 'object' && r !== null) return r.ok ? undefined : { expectation: name, message: r.message ?? 'the check failed', at: r.at ?? end };
  return { expectation: name, message: `the check returned ${String(r)}`, at: end };
}

export async function evaluate(run: RunResult, ex: Expectations): Promise<ExpectFailure[]> {
  const out: ExpectFailure[] = [];
  const end = run.durationNs;
  if (ex.noEjection && run.ejected) {
    const e = run.exit;
    const site = e.program ? ` [${e.program}${e.line ? `:${e.line}` : ''}]` : '';
    const at = firstEventAt(run, 'exit') ?? end;
    out.push({ expectation: 'noEjection', message: `ejected at ${fmt(at)}: ${e.kind} (${e.reason})${e.message ? `: ${e.message}` : ''}${site}`, at });
  }
  if (ex.diagnostics !== undefined) {
    const want = ex.diagnostics === 'none' ? [] : ex.diagnostics;
    const diags = run.diagnostics;
    const matches = (d: { kind: string; program?: string }, w: { kind: string; program?: string }) => d.kind === w.kind && (w.program === undefined || d.program === w.program);
    const unexpected = diags.filter((d) => !want.some((w) => matches(d, w)));
    if (unexpected.length > 0) {
      const d = unexpected[0]!;
      const at = firstEventAt(run, 'diagnostic', (e) => (e as { diag: { kind: string; message: string } }).diag.kind === d.kind && (e as { diag: { message: string } }).diag.message === d.message) ?? end;
      const kinds = [...new Set(unexpected.map((x) => x.kind))].join(', ');
      out.push({
        expectation: 'diagnostics',
        message: `${unexpected.length} unexpected diagnostic${unexpected.length > 1 ? 's' : ''} (${kinds}); first at ${fmt(at)}: ${d.kind}: ${d.message}${d.program ? ` [${d.program}${d.line ? `:${d.line}` : ''}]` : ''}`,
        at,
      });
    }
    for (const w of want) {
      if (!diags.some((d) => matches(d, w))) out.push({ expectation: 'diagnostics', message: `expected a ${w.kind} diagnostic${w.program ? ` in ${w.program}` : ''}, none was reported`, at: end });
    }
  }
  for (const w of ex.wakeupLatency ?? []) {
    let g;
    try {
      g = run.group(w.group);
    } catch (e) {
      out.push({ expectation: 'wakeupLatency', message: (e as Error).message, at: end });
      continue;
    }
    const at = g.worstWakeup?.wokenAt ?? end;
    const bounds: [string, number, number | string | undefined][] = [['p50', g.wakeupLatency.p50, w.p50Below], ['p99', g.wakeupLatency.p99, w.p99Below], ['max', g.wakeupLatency.max, w.maxBelow]];
    for (const [name, value, bound] of bounds) {
      if (bound === undefined) continue;
      const limit = parseDuration(bound);
      if (!(value < limit)) {
        const worst = g.worstWakeup ? `; worst ${dur(g.worstWakeup.latency)} for pid ${g.worstWakeup.pid} woken at ${fmt(g.worstWakeup.wokenAt)}` : '';
        out.push({ expectation: 'wakeupLatency', message: `group ${w.group}: ${name} wakeup latency ${dur(value)} is not below ${dur(limit)} (${g.wakeupLatency.samples} wakeups${worst})`, at });
      }
    }
  }
  for (const f of ex.fairness ?? []) {
    const r = run.fairness(f.by);
    if (r.entries.length === 0) {
      out.push({ expectation: 'fairness', message: `no CPU-bound ${f.by === 'cgroup' ? 'cgroups' : 'tasks'} to compare (no task was runnable the whole run)`, at: end });
    } else if (r.maxError > f.tolerance) {
      const worst = r.entries.reduce((a, b) => (Math.abs(b.ratio - 1) > Math.abs(a.ratio - 1) ? b : a));
      out.push({
        expectation: 'fairness',
        message: `by ${f.by}: ${f.by === 'cgroup' ? 'cgroup' : 'pid'} ${worst.key} (weight ${worst.weight}) got ${(worst.runtimeShare * 100).toFixed(1)}% of the runtime for ${(worst.weightShare * 100).toFixed(1)}% of the weight: off by ${(r.maxError * 100).toFixed(1)}%, tolerance ${(f.tolerance * 100).toFixed(1)}%`,
        at: end,
      });
    }
  }
  if (ex.utilisation) {
    const { above, each } = ex.utilisation;
    if (each) {
      const low = run.cpus().filter((c) => c.utilization < above);
      if (low.length) out.push({ expectation: 'utilisation', message: `CPU ${low.map((c) => `${c.cpu} at ${(c.utilization * 100).toFixed(1)}%`).join(', ')} below ${(above * 100).toFixed(1)}%`, at: end });
    } else if (run.utilisation() < above) {
      out.push({ expectation: 'utilisation', message: `mean CPU utilisation ${(run.utilisation() * 100).toFixed(1)}% is below ${(above * 100).toFixed(1)}%`, at: end });
    }
  }
  if (ex.check) {
    const checks: [string, CheckFn][] = typeof ex.check === 'function' ? [['check', ex.check]] : Object.entries(ex.check).map(([k, f]) => [`check.${k}`, f]);
    for (const [name, fn] of checks) {
      let r: CheckOutcome;
      try {
        r = await fn(run);
      } catch (e) {
        r = `threw: ${(e as Error).message}`;
      }
      const f = outcome(name, r, end);
      if (f) out.push(f);
    }
  }
  return out;
}

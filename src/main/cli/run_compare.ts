// `scxray run --compare TRACE` and `--export-sched FILE`: record the run as a
// scheduling trace while it runs, then put its figures beside the original
// trace's (per-task runtime, wait, wakeup latency percentiles, migrations,
// CPU utilization) and/or write it as perf / ftrace text or Perfetto JSON
// that `scxray workload import` reads back.

import { readFileSync, writeFileSync } from 'node:fs';
import type { Simulation } from '../../sim/simulation';
import { SchedRecorder } from '../../sim/workload/export/sched_recorder';
import { writeSchedText } from '../../sim/workload/export/sched_text';
import { writePerfettoJson } from '../../sim/workload/export/perfetto_json';
import { importTraceBytes } from '../../sim/workload/import/index';
import type { SchedTrace } from '../../sim/workload/import/sched_trace';
import { compareRun, replayedPids, simToTracePids, type RunComparison } from '../../sim/workload/compare';
import type { Percentiles } from '../../sim/workload/import/figures';
import type { Workload } from '../../sim/workload/schema';
import type { MachineSpec } from '../../model/events';

export class CompareInputError extends Error {}

export class RunSchedTrace {
  private readonly rec: SchedRecorder;
  private readonly original?: SchedTrace;

  constructor(
    private readonly sim: Simulation,
    private readonly opts: { compare?: string; exportSched?: string },
  ) {
    if (opts.compare !== undefined) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(opts.compare));
      } catch (e) {
        throw new CompareInputError(`--compare: cannot read ${opts.compare}: ${(e as Error).message}`);
      }
      this.original = importTraceBytes(bytes, opts.compare).trace;
    }
    this.rec = new SchedRecorder(`scxray run: ${sim.info.scheduler} (${sim.info.workload}, seed ${sim.info.seed})`, sim.info.machine.cpus);
    sim.on((ev) => this.rec.event(ev));
  }

  /** After the run: write the export, and return the comparison when one was asked for. */
  finish(durationNs: number): RunComparison | undefined {
    const trace = this.rec.finish(durationNs);
    const out = this.opts.exportSched;
    if (out !== undefined) {
      const text = out.endsWith('.json') ? writePerfettoJson(trace, { ...this.sim.info }) : writeSchedText(trace, out.endsWith('.ftrace') || out.endsWith('.ftrace.txt') ? 'ftrace' : 'perf');
      writeFileSync(out, text);
    }
    if (!this.original) return undefined;
    return compareRun(this.original, trace, simToTracePids(this.sim.world.core), durationNs, replayedPids(this.sim.world.opts.workload.groups));
  }
}

const ms = (ns: number): string => (ns / 1e6).toFixed(2);
const pct = (p: Percentiles): string => (p.samples === 0 ? '-' : `${ms(p.p50)}/${ms(p.p90)}/${ms(p.p99)}/${ms(p.max)}`);

export function formatComparison(c: RunComparison, scheduler: string): string {
  const o = c.original;
  const s = c.simulated;
  const sum = (xs: { runtimeNs: number }[]) => xs.reduce((a, t) => a + t.runtimeNs, 0);
  const util = (f: typeof o) => f.cpus.map((x) => `${x.cpu}:${(x.utilization * 100).toFixed(0)}%`).join(' ');
  const rows = c.tasks
    .filter((t) => (t.original?.runtimeNs ?? 0) + (t.simulated?.runtimeNs ?? 0) > 0)
    .sort((a, b) => (b.original?.runtimeNs ?? 0) - (a.original?.runtimeNs ?? 0));
  const col = (v: string, w: number) => v.padStart(w);
  const lines = [
    `compare: ${c.source} (${c.format}, ${c.tracedCpus} CPUs) against ${scheduler} on ${c.simulatedCpus} CPUs, first ${ms(c.spanNs)} ms`,
    ...c.warnings.map((w) => `  warning: ${w}`),
    `                         ${'original'.padStart(24)} ${('sim ' + scheduler).padStart(24)}`,
    `runtime (ms)             ${col(ms(sum(o.tasks)), 24)} ${col(ms(sum(s.tasks)), 24)}`,
    `CPU utilization          ${col(util(o), 24)} ${col(util(s), 24)}`,
    `wakeup latency (ms)      ${col(pct(o.wakeLatencyNs), 24)} ${col(pct(s.wakeLatencyNs), 24)}   p50/p90/p99/max`,
    `wakeups                  ${col(String(o.wakeLatencyNs.samples), 24)} ${col(String(s.wakeLatencyNs.samples), 24)}`,
    `migrations               ${col(String(o.migrations), 24)} ${col(String(s.migrations), 24)}`,
    '',
    '  pid comm             runtime ms (orig/sim)    wait ms (orig/sim)   wakeup p50/p99 ms (orig | sim)       migr',
    ...rows.slice(0, 40).map((t) => {
      const a = t.original;
      const b = t.simulated;
      return `${String(t.tracePid).padStart(5)} ${t.comm.padEnd(16)} ${col(`${a ? ms(a.runtimeNs) : '-'}/${b ? ms(b.runtimeNs) : '-'}`, 21)} ${col(`${a ? ms(a.waitNs) : '-'}/${b ? ms(b.waitNs) : '-'}`, 21)} ${col(`${a && a.wakeLatencyNs.samples ? `${ms(a.wakeLatencyNs.p50)}/${ms(a.wakeLatencyNs.p99)}` : '-'} | ${b && b.wakeLatencyNs.samples ? `${ms(b.wakeLatencyNs.p50)}/${ms(b.wakeLatencyNs.p99)}` : '-'}`, 30)} ${col(`${a?.migrations ?? '-'}/${b?.migrations ?? '-'}`, 10)}`;
    }),
    ...(rows.length > 40 ? [`  … ${rows.length - 40} more tasks (use --json)`] : []),
  ];
  return lines.join('\n') + '\n';
}

/** The comparison for --json: latency samples are left out (histograms are for the UI). */
export function comparisonJson(c: RunComparison): unknown {
  const strip = (f: RunComparison['original']) => ({ ...f, wakeLatencySamples: undefined });
  return { ...c, original: strip(c.original), simulated: strip(c.simulated) };
}

/**
 * The machine for a run: the sizes the command line gives, else the
 * workload's `cpus` (an imported workload's traced CPU count) with the traced
 * topology when the CPU count is the traced one, else 4 CPUs.
 */
export function runMachine(w: Workload, given: { cpus?: number; smt?: number; llc?: number; numa?: number }): MachineSpec {
  const cpus = given.cpus ?? w.cpus ?? 4;
  const traced = w.origin !== undefined && cpus === w.cpus ? w.origin : undefined;
  return { cpus, smt: given.smt ?? traced?.smt, llc: given.llc ?? traced?.llc, numa: given.numa ?? traced?.numa };
}

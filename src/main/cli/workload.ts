// `scxray workload import FILE -o W.json`: a scheduling trace captured on a
// real machine (perf script / perf sched script text, ftrace or trace-cmd
// report text, Perfetto/Chrome JSON; gzip accepted) as a workload that
// replays it. Prints what was imported; exit 2 on bad input with the file and
// line at fault.

import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { importTraceBytes, TraceImportError } from '../../sim/workload/import/index';
import { traceToWorkload, type ImportFilter } from '../../sim/workload/import/to_workload';
import { validateWorkload, WorkloadError } from '../../sim/workload/load';
import type { Workload } from '../../sim/workload/schema';

interface ImportOptions {
  output?: string;
  name?: string;
  kthreads: boolean;
  excludeComm?: string[];
  pid?: string[];
}

class BadInput extends Error {}

export function importWorkloadFile(file: string, o: ImportOptions): { workload: Workload; report: string } {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new BadInput(`cannot read ${file}: ${(e as Error).message}`);
  }
  const filter: ImportFilter = { kthreads: o.kthreads };
  try {
    filter.excludeComm = (o.excludeComm ?? []).map((re) => new RegExp(re));
  } catch (e) {
    throw new BadInput(`--exclude-comm: ${(e as Error).message}`);
  }
  if (o.pid?.length) {
    const pids = o.pid.flatMap((p) => p.split(',')).map((p) => Number(p));
    if (pids.some((p) => !Number.isInteger(p) || p <= 0)) throw new BadInput(`--pid expects positive integers (got "${o.pid.join(' ')}")`);
    filter.pids = new Set(pids);
  }
  const { trace, skipped } = importTraceBytes(bytes, file);
  const workload = validateWorkload(traceToWorkload(trace, { name: o.name ?? basename(file).replace(/\.(txt|json|gz)$/g, ''), filter }), file);
  const g = workload.groups;
  const steps = g.flatMap((x) => x.steps);
  const count = (pred: (s: (typeof steps)[number]) => boolean) => steps.filter(pred).length;
  const m = trace.machine;
  const report = [
    `${file}: ${trace.format}, ${trace.events.length} scheduler events${skipped ? ` (${skipped} other events skipped)` : ''} over ${((trace.endNs - trace.startNs) / 1e6).toFixed(1)} ms`,
    `machine: ${m.cpus} CPUs${m.smt ? `, ${m.smt} per SMT core` : ''}${m.llc ? `, ${m.llc} per LLC` : ''}${m.numa ? `, ${m.numa} per NUMA node` : ''}`,
    `tasks: ${g.length} replayed (${g.filter((x) => x.trace?.kthread).length} kernel threads, ${g.filter((x) => x.trace?.partial).length} seen only partly, ${g.filter((x) => x.template).length} forked by replayed parents), ${workload.origin?.excluded ?? 0} left out by filters`,
    `steps: ${count((s) => 'run' in s)} run bursts, ${count((s) => 'sleep' in s)} timed sleeps, ${count((s) => 'wake' in s)} wakeup edges, ${count((s) => 'fork' in s)} forks, ${count((s) => 'exit' in s)} exits`,
  ];
  return { workload, report: report.join('\n') + '\n' };
}

export function register(program: Command): void {
  const wl = program.command('workload').description('Workloads: import scheduling traces from real machines');
  wl.command('import')
    .description('Turn a scheduling trace (perf script / perf sched script, ftrace / trace-cmd report text, Perfetto JSON; .gz accepted) into a workload that replays it')
    .argument('<file>', 'trace file')
    .option('-o, --output <file>', 'where to write the workload JSON (default: stdout)')
    .option('--name <name>', 'workload name (default: the file name)')
    .option('--no-kthreads', 'leave kernel threads out (their wakeups become timed sleeps)')
    .option('--exclude-comm <regex...>', 'leave out tasks whose comm matches (e.g. "^perf$")')
    .option('--pid <pids...>', 'replay only these pids')
    .action((file: string, o: ImportOptions) => {
      try {
        const { workload, report } = importWorkloadFile(file, o);
        const json = JSON.stringify(workload, null, 1) + '\n';
        if (o.output === undefined || o.output === '-') process.stdout.write(json);
        else writeFileSync(o.output, json);
        process.stderr.write(report);
      } catch (e) {
        if (!(e instanceof BadInput || e instanceof TraceImportError || e instanceof WorkloadError)) throw e;
        process.stderr.write(`scxray workload import: ${e.message}\n`);
        process.exitCode = 2;
      }
    });
}

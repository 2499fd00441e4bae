// `scxray run OBJ`: load a scheduler, run a workload on the simulated
// machine for a virtual duration, optionally record a trace, and print a
// summary (text, or JSON with --json). Exit 0 when the scheduler ran to the
// end, 1 when it was ejected, 2 for bad input.

import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { LoadError, parseGlobalSets } from '../../sched_ext/loader/index';
import { parseResizeArgs } from '../../sched_ext/loader/resize';
import { Simulation, SimSetupError, type RunSummary } from '../../sim/simulation';
import { loadWorkload, WorkloadError } from '../../sim/workload/load';
import { parseDuration } from '../../sim/workload/schema';
import { MAX_CPUS } from '../../base/limits';
import { osErrorText } from '../../base/os_error';
import { openRecording, parseByteSize, RecordInputError, type Recording } from './run_record';
import { formatHeap } from '../../sched_ext/runtime/format_heap';
import type { EngineKind } from '../../sched_ext/vm/abi';
import { addSetupOptions, formatSetupLog, SetupError, setupJson, setupSimOptions, type SetupCliOptions } from './run_setup';
import { TraceImportError } from '../../sim/workload/import/index';
import { CompareInputError, RunSchedTrace, comparisonJson, formatComparison, runMachine } from './run_compare';
import { SimLivelockError } from '../../sim/machine';

interface RunOptions extends SetupCliOptions {
  workload: string;
  cpus?: string;
  duration: string;
  seed: string;
  record?: string;
  maxTraceSize?: string;
  set?: string[];
  resize?: string[];
  json?: boolean;
  heap?: boolean;
  engine: string;
  kernelVersion?: string;
  smt?: string;
  llc?: string;
  numa?: string;
  compare?: string;
  exportSched?: string;
}

class BadInput extends Error {}

function int(v: string | undefined, what: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new BadInput(`--${what} must be an integer from ${min} to ${max} (got "${v}")`);
  return n;
}

function progress(done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${((100 * done) / total).toFixed(0).padStart(3)}% of ${(total / 1e9).toFixed(2)}s`);
}

function formatText(s: RunSummary): string {
  const ms = (ns: number) => (ns / 1e6).toFixed(2) + 'ms';
  const lines = [
    `scheduler ${s.scheduler}: ${s.exit.ejected ? `EJECTED ${s.exit.kind} (${s.exit.reason}): ${s.exit.message}${s.exit.program ? ` [${s.exit.program}${s.exit.line ? `:${s.exit.line}` : ''}]` : ''}` : 'ran to the end'}`,
    `virtual time ${ms(s.durationNs)}, ${s.ops.calls} op calls, ${s.ops.insns} BPF instructions`,
    `latency p50 ${ms(s.latencyNs.p50)} p99 ${ms(s.latencyNs.p99)} max ${ms(s.latencyNs.max)} (${s.latencyNs.samples} samples)`,
    `cpus: ${s.cpus.map((c) => `${c.cpu}:${(c.utilization * 100).toFixed(0)}%`).join(' ')}`,
    `fairness: max |runtime share / weight share - 1| = ${(s.fairnessMaxError * 100).toFixed(1)}% over ${s.fairness.length} CPU-bound tasks`,
    `DSQ high-water: ${s.dsqHighWater.map((d) => `${d.dsq}=${d.max}`).join(' ') || 'none'}`,
    `heap: ${s.heap.live} live, ${s.heap.freed} freed (${s.heap.allocated} allocated)`,
    '',
    '  pid comm             weight   runtime      wait   runs',
    ...s.tasks.slice(0, 40).map((t) => `${String(t.pid).padStart(5)} ${t.comm.padEnd(16)} ${String(t.weight).padStart(6)} ${ms(t.runtimeNs).padStart(9)} ${ms(t.waitNs).padStart(9)} ${String(t.runs).padStart(6)}`),
    ...(s.tasks.length > 40 ? [`  … ${s.tasks.length - 40} more tasks (use --json)`] : []),
    ...(s.diagnostics.length ? ['', 'diagnostics:', ...s.diagnostics.map((d) => `  ${d.kind}: ${d.message}${d.program ? ` [${d.program}${d.line ? `:${d.line}` : ''}]` : ''}`)] : []),
  ];
  return lines.join('\n') + '\n';
}

export function register(program: Command): void {
  addSetupOptions(program.command('run'))
    .description('Run a scheduler object on a simulated machine and summarise what it did')
    .argument('<object>', 'scheduler object (*.bpf.o)')
    .option('-w, --workload <name|file>', 'workload preset or JSON file', 'cpu-hogs')
    .option('-c, --cpus <n>', `number of CPUs (1-${MAX_CPUS}; default: the workload's "cpus", e.g. an imported trace's, else 4)`)
    .option('-d, --duration <time>', 'virtual duration, e.g. 5s, 500ms', '5s')
    .option('-s, --seed <n>', 'random seed', '1')
    .option('--record <file>', 'record a trace file')
    .option('--max-trace-size <size>', 'with --record: stop the run cleanly once the trace reaches SIZE (e.g. 2G, 500M); the trace stays complete up to that time')
    .option('--set <name=value...>', 'assign a global variable before load: NAME=VALUE, NAME[i]=VALUE, NAME.member=VALUE (.rodata first, then .data/.bss; typed by BTF, range-checked); repeatable')
    .option('--resize <name=elements...>', 'resize a one-element array variable (or its .data.X/.bss.X section) to ELEMENTS before load, like bpf_map__set_value_size; repeatable')
    .option('--json', 'print the summary as JSON')
    .option('--heap', 'print the heap at the end of the run: live objects by owner, kptr slots, graph roots (in --json: heap.text and heap.objects)')
    .option('--engine <jit|interp>', 'BPF engine', 'jit')
    .option('--kernel-version <ver>', 'emulated kernel release (kfunc names and signatures follow it)')
    .option('--smt <n>', 'CPUs per SMT core')
    .option('--llc <n>', 'CPUs per last-level cache')
    .option('--numa <n>', 'CPUs per NUMA node')
    .option('--compare <trace>', 'put the run beside the trace an imported workload came from (scxray workload import): per-task runtime, wait, wakeup latency, migrations, CPU utilization')
    .option('--export-sched <file>', 'write the run as a scheduling trace: Perfetto JSON (.json), ftrace text (.ftrace), else perf script text')
    .action((object: string, opts: RunOptions) => {
      process.exitCode = runCommand(object, opts);
    });
}

function runCommand(object: string, opts: RunOptions): number {
  let sim: Simulation;
  let durationNs: number;
  let recording: Recording | undefined;
  let sched: RunSchedTrace | undefined;
  try {
    const seed = int(opts.seed, 'seed', 0, 2 ** 32 - 1)!;
    try {
      durationNs = parseDuration(opts.duration);
    } catch (e) {
      throw new BadInput(`--duration: ${(e as Error).message}`);
    }
    if (durationNs <= 0) throw new BadInput('--duration must be positive');
    if (opts.engine !== 'jit' && opts.engine !== 'interp') throw new BadInput(`--engine must be jit or interp (got "${opts.engine}")`);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(object));
    } catch (e) {
      throw new BadInput(`${object}: cannot read the scheduler object (${osErrorText(e)})`);
    }
    const workload = loadWorkload(opts.workload);
    const machine = runMachine(workload, { cpus: int(opts.cpus, 'cpus', 1, MAX_CPUS), smt: int(opts.smt, 'smt', 1, 8), llc: int(opts.llc, 'llc', 1, 256), numa: int(opts.numa, 'numa', 1, 256) });
    sim = new Simulation({
      objectBytes: bytes,
      file: basename(object),
      workload,
      cpus: machine,
      seed,
      engine: opts.engine as EngineKind,
      kernelVersion: opts.kernelVersion,
      globalSets: parseGlobalSets(opts.set),
      resize: parseResizeArgs(opts.resize),
      ...setupSimOptions(opts),
    });
    if (opts.maxTraceSize !== undefined && opts.record === undefined) throw new BadInput('--max-trace-size needs --record FILE');
    const budget = opts.maxTraceSize === undefined ? undefined : parseByteSize(opts.maxTraceSize, '--max-trace-size');
    if (opts.record !== undefined) recording = openRecording(opts.record, sim, budget);
    if (opts.compare !== undefined || opts.exportSched !== undefined) sched = new RunSchedTrace(sim, opts);
  } catch (e) {
    if (e instanceof RecordInputError || e instanceof CompareInputError || e instanceof TraceImportError || e instanceof BadInput || e instanceof LoadError || e instanceof WorkloadError || e instanceof SimSetupError || e instanceof SetupError) {
      process.stderr.write(`scxray run: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const tty = process.stderr.isTTY && !opts.json;
  const step = Math.max(1_000_000, Math.floor(durationNs / 100));
  let halted: string | undefined;
  for (let t = 0; t < durationNs; ) {
    t = Math.min(durationNs, t + step);
    try {
      sim.runUntil(t, recording?.full);
    } catch (e) {
      // Time cannot advance even under the built-in policy: the workload itself loops without running.
      if (!(e instanceof SimLivelockError)) throw e;
      halted = e.message;
      break;
    }
    if (tty) progress(t, durationNs);
    if (recording?.stoppedBecause) break;
  }
  if (tty) process.stderr.write('\n');
  if (halted !== undefined) process.stderr.write(`scxray run: stopped at ${(sim.now / 1e9).toFixed(3)}s: ${halted}; the summary covers the run up to there\n`);
  const summary = sim.summary();
  // the heap as the run left it, before unregistering frees every map's stashed objects
  const heapText = opts.heap ? formatHeap(sim.runtime) : undefined;
  const heapObjects = opts.heap ? sim.runtime.heapObjects() : undefined;
  // the run is over: unregister like the scheduler's user space would (ops.exit with SCX_EXIT_UNREG)
  if (!summary.exit.ejected) sim.unload();
  recording?.close();
  if (recording?.stoppedBecause) {
    process.stderr.write(`scxray run: stopped at ${(sim.now / 1e9).toFixed(3)}s of ${(durationNs / 1e9).toFixed(3)}s: ${recording.stoppedBecause}; ${opts.record} is complete up to there\n`);
  }
  const comparison = sched?.finish(durationNs);
  if (opts.json) {
    const out = { ...(heapText === undefined ? summary : { ...summary, heap: { ...summary.heap, text: heapText, objects: heapObjects } }), ...setupJson(sim) };
    process.stdout.write(JSON.stringify(comparison ? { ...out, compare: comparisonJson(comparison) } : out, null, 2) + '\n');
  } else {
    process.stdout.write(formatText(summary) + formatSetupLog(sim) + (heapText === undefined ? '' : `\n${heapText}\n`) + (comparison ? `\n${formatComparison(comparison, summary.scheduler)}` : ''));
  }
  return summary.exit.ejected ? 1 : 0;
}

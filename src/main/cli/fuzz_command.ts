// `scxray fuzz OBJ [--budget 60s] [--seed N]`: generate workloads, run the
// scheduler on each, and stop at the first ejection, stall, diagnostic or
// violated expectation (--spec FILE takes a spec's expectations); shrink
// that workload to a minimal one that fails the same way, save it with its
// seed and trace, and print how to rerun and replay it. Exit 1 when a
// failure was found, 0 when none was within the budget, 2 for bad input.

import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { openScheduler, ApiError, LoadError } from '../../api/index';
import { parseDuration } from '../../sim/workload/schema';
import { formatTime } from '../../sim/trace/time_units';
import { Fuzzer, describe, type FuzzFinding, type FuzzOptions } from './fuzz/engine';
import { loadSpecFile, SpecError } from './scx_test/spec';
import { checkKernelVersion } from '../../sim/setup_checks';
import { SimSetupError } from '../../sim/simulation';

interface FuzzCliOptions {
  budget: string;
  seed: string;
  runs?: string;
  cpus: string;
  duration: string;
  kernelVersion?: string;
  spec?: string;
  shrinkRuns: string;
  maxEvents: string;
  out?: string;
}

class BadInput extends Error {}

function int(v: string, what: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new BadInput(`--${what} must be an integer from ${min} to ${max} (got "${v}")`);
  return n;
}

function time(v: string, what: string): number {
  try {
    const ns = parseDuration(v);
    if (ns <= 0) throw new Error('must be positive');
    return ns;
  } catch (e) {
    throw new BadInput(`--${what}: ${(e as Error).message}`);
  }
}

const shown = (p: string): string => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

/** Write the finding to `dir` and record the shrunk workload's trace there; returns the lines to print. */
async function save(dir: string, object: string, o: FuzzOptions, f: FuzzFinding, fuzzer: Fuzzer): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const wl = join(dir, 'workload.json');
  const found = join(dir, 'found.json');
  const trace = join(dir, 'trace.scxtrace');
  writeFileSync(wl, JSON.stringify(f.shrunk.workload, null, 2) + '\n');
  writeFileSync(found, JSON.stringify(f.found.workload, null, 2) + '\n');
  // the same deterministic run as the last shrinking step, now recorded
  await fuzzer.run(f.shrunk, async () => undefined, trace, f.durationNs);
  const failure = f.shrunkFailure;
  // what -d reads back exactly: whole seconds or ms when it is one, else ns
  const ns = f.durationNs;
  const dur = ns % 1e9 === 0 ? `${ns / 1e9}s` : ns % 1e6 === 0 ? `${ns / 1e6}ms` : `${ns}ns`;
  const repro = {
    object: resolve(object),
    seed: o.seed,
    caseIndex: f.caseIndex,
    cpus: f.shrunk.cpus,
    durationNs: f.durationNs,
    kernelVersion: o.kernelVersion ?? null,
    failure,
    found: { cpus: f.found.cpus, tasks: f.foundTasks, failure: f.failure },
    shrunk: { tasks: f.shrunkTasks, shrinkRuns: f.shrinkRuns },
  };
  writeFileSync(join(dir, 'repro.json'), JSON.stringify(repro, null, 2) + '\n');
  const kv = o.kernelVersion ? ` --kernel-version ${o.kernelVersion}` : '';
  return [
    `found at case ${f.caseIndex} of seed ${o.seed} after ${f.casesRun} runs (${(f.searchMs / 1000).toFixed(1)}s): ${describe(f.failure)}`,
    `shrunk in ${f.shrinkRuns} runs: ${f.foundTasks} tasks on ${f.found.cpus} CPUs -> ${f.shrunkTasks} tasks on ${f.shrunk.cpus} CPUs: ${describe(failure)}`,
    `saved:  ${shown(wl)} (shrunk), ${shown(found)} (as generated), ${shown(join(dir, 'repro.json'))}, ${shown(trace)}`,
    `rerun:  npx scxray run ${shown(object)} -w ${shown(wl)} -c ${f.shrunk.cpus} -d ${dur} -s ${o.seed}${kv}`,
    `replay: npx scxray replay ${shown(trace)} --at ${formatTime(failure.at)}`,
    `UI:     npx scxray serve --open ${shown(trace)} --at ${formatTime(failure.at)}`,
  ];
}

export async function fuzzCommand(object: string, opts: FuzzCliOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let o: FuzzOptions;
  let fuzzer: Fuzzer;
  try {
    const seed = int(opts.seed, 'seed', 0, 2 ** 32 - 1);
    if (opts.kernelVersion !== undefined) checkKernelVersion(opts.kernelVersion);
    const expect = opts.spec ? (await loadSpecFile(resolve(opts.spec)))[0]!.spec.expect : undefined;
    o = {
      seed,
      budgetMs: time(opts.budget, 'budget') / 1e6,
      maxCases: opts.runs === undefined ? undefined : int(opts.runs, 'runs', 1, 1_000_000),
      maxCpus: int(opts.cpus, 'cpus', 1, 256),
      durationNs: time(opts.duration, 'duration'),
      kernelVersion: opts.kernelVersion,
      expect,
      shrinkRuns: int(opts.shrinkRuns, 'shrink-runs', 0, 100_000),
      maxEvents: int(opts.maxEvents, 'max-events', 1000, 1_000_000_000),
      log: err,
    };
    fuzzer = new Fuzzer(await openScheduler(object), o);
  } catch (e) {
    if (e instanceof BadInput || e instanceof ApiError || e instanceof LoadError || e instanceof SpecError || e instanceof SimSetupError) {
      err(`scxray fuzz: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const outcome = await fuzzer.search();
  if (!outcome.finding) {
    out(`no failure in ${outcome.casesRun} generated workloads (${(outcome.searchMs / 1000).toFixed(1)}s, seed ${o.seed})\n`);
    return 0;
  }
  const dir = opts.out ?? join('scxray-fuzz', `${basename(object).replace(/\.bpf\.o$|\.o$/, '')}-seed${o.seed}`);
  const lines = await save(dir, object, o, outcome.finding, fuzzer);
  out(lines.join('\n') + '\n');
  return 1;
}

export function register(program: Command): void {
  program
    .command('fuzz')
    .description('Generate workloads until the scheduler is ejected, stalls, reports a diagnostic or fails an expectation; shrink the workload and save it with its trace')
    .argument('<object>', 'scheduler object (*.bpf.o)')
    .option('--budget <time>', 'wall-clock time for the search (shrinking is bounded by --shrink-runs)', '60s')
    .option('-s, --seed <n>', 'seed of the generated workloads (the same seed tries the same workloads in the same order)', '1')
    .option('--runs <n>', 'stop after N generated workloads, whatever the budget')
    .option('-c, --cpus <n>', 'largest machine to try (cases use 1, 2, 4, … up to it)', '4')
    .option('-d, --duration <time>', 'virtual time per run', '5s')
    .option('--kernel-version <ver>', 'emulated kernel release')
    .option('--spec <file>', 'also fail on the expectations of this spec file (its first spec)')
    .option('--shrink-runs <n>', 'most runs spent shrinking', '300')
    .option('--max-events <n>', 'cut a run short after N simulator events (keeps runaway workloads bounded, deterministically)', '500000')
    .option('-o, --out <dir>', 'where to save the finding (default scxray-fuzz/<object>-seed<N>)')
    .action(async (object: string, opts: FuzzCliOptions) => {
      process.exitCode = await fuzzCommand(object, opts, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
    });
}

// The fuzzing loop: run generated workloads (case 0, 1, 2, … of a seed)
// until one makes the scheduler fail — an ejection (error exit, stall,
// fault, …), a diagnostic, or a violated expectation — or the budget is
// spent; then shrink the failing workload while it still fails the same
// way, and record the minimal one's trace. The search order and the
// shrinking are deterministic per seed; only where the wall-clock budget
// cuts the search depends on the machine (--runs gives a fixed count).

import { WorkloadError, type RunResult, type Scheduler } from '../../../api/index';
import { SimSetupError } from '../../../sim/simulation';
import { SimLivelockError } from '../../../sim/machine';
import { evaluate } from '../scx_test/expect';
import type { Expectations } from '../scx_test/spec';
import { generateWorkload } from './generate';
import { Rng } from '../../../sim/workload/rng';
import { candidates, taskCount, type FuzzCase } from './shrink';

/** What kind of failure a run showed; shrinking keeps it. */
export type Failure =
  | { kind: 'ejection'; exit: string; message: string; at: number }
  /** diag: the first diagnostic's kind; kinds: every kind the run reported (shrinking keeps them all). */
  | { kind: 'diagnostic'; diag: string; kinds: string[]; message: string; at: number }
  | { kind: 'expectation'; expectation: string; message: string; at: number };

export interface FuzzOptions {
  seed: number;
  /** Wall-clock budget of the search in ms. */
  budgetMs: number;
  /** Stop after this many cases even within the budget. */
  maxCases?: number;
  /** Largest machine to try (cases pick 1, 2, 4, … up to it). */
  maxCpus: number;
  /** Virtual time per run. */
  durationNs: number;
  kernelVersion?: string;
  expect?: Expectations;
  /** Most runs spent shrinking. */
  shrinkRuns: number;
  /** Simulator events per run before it is cut short (deterministic; a cut run counts as not failing unless it already failed). */
  maxEvents: number;
  /** Progress lines (stderr in the CLI). */
  log?: (s: string) => void;
}

export interface FuzzFinding {
  caseIndex: number;
  casesRun: number;
  searchMs: number;
  found: FuzzCase;
  failure: Failure;
  shrunk: FuzzCase;
  shrunkFailure: Failure;
  shrinkRuns: number;
  /** Virtual time of the shrinking runs and the saved trace: the failure's instant plus as long again (at least 1 s), within the search's duration. */
  durationNs: number;
  /** Tasks the shrunk run created (from its summary). */
  shrunkTasks: number;
  foundTasks: number;
}

export interface FuzzOutcome {
  finding?: FuzzFinding;
  casesRun: number;
  searchMs: number;
}

function firstAt(run: RunResult, kind: 'exit' | 'diagnostic'): number {
  return run.events({ kind, limit: 1 })[0]?.t ?? run.durationNs;
}

export async function failureOf(run: RunResult, expect?: Expectations): Promise<Failure | undefined> {
  if (run.ejected) return { kind: 'ejection', exit: run.exit.kind, message: `${run.exit.reason}: ${run.exit.message}`, at: firstAt(run, 'exit') };
  const d = run.diagnostics[0];
  if (d) return { kind: 'diagnostic', diag: d.kind, kinds: [...new Set(run.diagnostics.map((x) => x.kind))].sort(), message: d.message, at: firstAt(run, 'diagnostic') };
  if (expect) {
    const f = (await evaluate(run, expect))[0];
    if (f) return { kind: 'expectation', expectation: f.expectation, message: f.message, at: f.at };
  }
  return undefined;
}

/** Whether the run fails like `want`: the same exit kind; diagnostics of every kind `want` had; the same expectation. */
async function failsLike(run: RunResult, want: Failure, expect?: Expectations): Promise<Failure | undefined> {
  if (want.kind === 'ejection') return run.ejected && run.exit.kind === want.exit ? failureOf(run, expect) : undefined;
  if (want.kind === 'diagnostic') {
    if (run.ejected) return undefined;
    const kinds = new Set<string>(run.diagnostics.map((x) => x.kind));
    return want.kinds.every((k) => kinds.has(k)) ? failureOf(run) : undefined;
  }
  if (run.ejected || !expect) return undefined;
  const f = (await evaluate(run, expect)).find((x) => x.expectation === want.expectation);
  return f ? { kind: 'expectation', expectation: f.expectation, message: f.message, at: f.at } : undefined;
}

export class Fuzzer {
  /** Workloads the simulator itself refused to finish (SimLivelockError), for the report. */
  readonly simErrors: { case: FuzzCase; message: string }[] = [];

  constructor(
    private readonly sched: Scheduler,
    private readonly o: FuzzOptions,
  ) {}

  /** The machine size of case `index`: 1, 2, 4, … up to maxCpus (and maxCpus itself), drawn from the seed. */
  private cpusFor(index: number): number {
    const choices = [...new Set([1, 2, 4, 8, 16, 32, 64, 128, 256].filter((n) => n < this.o.maxCpus).concat(this.o.maxCpus))];
    return choices[new Rng(this.o.seed, 0xc9c0 + index).u32() % choices.length]!;
  }

  /** One run of a case; undefined when the workload is not valid (a shrinking step that broke a reference). */
  async run<T>(c: FuzzCase, use: (run: RunResult) => Promise<T>, record?: string, durationNs = this.o.durationNs): Promise<T | undefined> {
    let run: RunResult;
    try {
      run = await this.sched.run({ workload: c.workload as unknown as Record<string, unknown>, cpus: c.cpus, seed: this.o.seed, duration: durationNs, kernelVersion: this.o.kernelVersion, record, maxEvents: this.o.maxEvents });
    } catch (e) {
      if (e instanceof WorkloadError || e instanceof SimSetupError) return undefined;
      // the simulator gave up on the workload itself (e.g. a zero-time wake/wait loop left after the scheduler was ejected): not the scheduler's failure
      if (e instanceof SimLivelockError) {
        this.simErrors.push({ case: c, message: e.message });
        this.o.log?.(`  skipped: ${e.message}\n`);
        return undefined;
      }
      throw e;
    }
    try {
      return await use(run);
    } finally {
      run.close();
    }
  }

  async search(): Promise<FuzzOutcome> {
    const t0 = performance.now();
    let i = 0;
    for (; ; i++) {
      if (this.o.maxCases !== undefined && i >= this.o.maxCases) break;
      if (performance.now() - t0 > this.o.budgetMs) break;
      const cpus = this.cpusFor(i);
      const c: FuzzCase = { workload: generateWorkload(this.o.seed, i, cpus), cpus };
      const r = await this.run(c, async (run) => ({ failure: await failureOf(run, this.o.expect), tasks: run.tasks().length }));
      if (!r?.failure) continue;
      const searchMs = performance.now() - t0;
      this.o.log?.(`case ${i}: ${describe(r.failure)}; shrinking\n`);
      const shrunk = await this.shrink(c, r.failure);
      return {
        casesRun: i + 1,
        searchMs,
        finding: { caseIndex: i, casesRun: i + 1, searchMs, found: c, failure: r.failure, foundTasks: r.tasks, ...shrunk },
      };
    }
    return { casesRun: i, searchMs: performance.now() - t0 };
  }

  private async shrink(start: FuzzCase, failure: Failure): Promise<{ shrunk: FuzzCase; shrunkFailure: Failure; shrinkRuns: number; shrunkTasks: number; durationNs: number }> {
    const durationNs = Math.min(this.o.durationNs, failure.at + Math.max(failure.at, 1e9));
    let cur = start;
    let curFailure = failure;
    let runs = 0;
    let progress = true;
    while (progress && runs < this.o.shrinkRuns) {
      progress = false;
      for (const cand of candidates(cur)) {
        if (runs >= this.o.shrinkRuns) break;
        runs++;
        const f = await this.run(cand, (run) => failsLike(run, failure, this.o.expect), undefined, durationNs);
        if (f) {
          cur = cand;
          curFailure = f;
          progress = true;
          this.o.log?.(`  shrink run ${runs}: ${cur.workload.groups.length} groups, ${taskCount(cur)} tasks, ${cur.cpus} CPUs still fail\n`);
          break;
        }
      }
    }
    const shrunkTasks = (await this.run(cur, async (run) => run.tasks().length, undefined, durationNs)) ?? 0;
    return { shrunk: cur, shrunkFailure: curFailure, shrinkRuns: runs, shrunkTasks, durationNs };
  }
}

export function describe(f: Failure): string {
  switch (f.kind) {
    case 'ejection': return `ejected: ${f.exit} (${f.message})`;
    case 'diagnostic': return `diagnostic${f.kinds.length > 1 ? `s ${f.kinds.join(', ')}; first` : ''} ${f.diag}: ${f.message}`;
    case 'expectation': return `expectation ${f.expectation} failed: ${f.message}`;
  }
}

// Run spec files: every matrix cell of every spec is one case, run through
// the library API; a failed case keeps its trace in the artifacts directory
// and carries the commands that open it at the failing instant.

import { copyFileSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { openScheduler, type Scheduler } from '../../../api/index';
import { formatTime } from '../../../sim/trace/time_units';
import { evaluate } from './expect';
import type { CaseResult } from './report';
import { expandMatrix, findSpecFiles, loadSpecFile, type LoadedSpec, type TestCase } from './spec';

export interface RunnerOptions {
  /** Where traces of failed cases go (created when needed). */
  artifacts: string;
  /** Only cases whose "spec [label]" name contains this. */
  filter?: string;
  /** Called after each case (the CLI prints progress). */
  onCase?: (r: CaseResult) => void;
}

export async function loadCases(paths: readonly string[]): Promise<TestCase[]> {
  const files = findSpecFiles(paths);
  const specs: LoadedSpec[] = [];
  for (const f of files) specs.push(...(await loadSpecFile(f)));
  return specs.flatMap(expandMatrix);
}

const slug = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '');

/** A path as the user would type it: relative to the working directory when that is shorter. */
function shown(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') && r.length < p.length ? r : p;
}

export async function runCases(cases: readonly TestCase[], opts: RunnerOptions): Promise<CaseResult[]> {
  const schedulers = new Map<LoadedSpec, Promise<Scheduler>>();
  const results: CaseResult[] = [];
  for (const c of cases) {
    if (opts.filter && !`${c.spec.name} [${c.label}]`.includes(opts.filter)) continue;
    const t0 = performance.now();
    let r: CaseResult;
    try {
      let sched = schedulers.get(c.spec);
      if (!sched) {
        const s = c.spec.spec;
        sched = openScheduler(c.spec.object, { sets: s.sets, resize: s.resize, engine: s.engine, setup: c.spec.setup, setupBudgetMs: s.setupBudgetMs });
        schedulers.set(c.spec, sched);
      }
      const run = await (await sched).run({ workload: c.workload, seed: c.seed, cpus: c.cpus, kernelVersion: c.kernel, duration: c.spec.spec.duration });
      try {
        const failures = await evaluate(run, c.spec.spec.expect);
        r = { testCase: c, status: failures.length ? 'fail' : 'pass', failures, ms: 0 };
        if (failures.length) {
          mkdirSync(opts.artifacts, { recursive: true });
          const trace = resolve(join(opts.artifacts, `${slug(c.spec.name)}--${slug(c.label)}.scxtrace`));
          copyFileSync(run.tracePath, trace);
          const at = formatTime(Math.min(...failures.map((f) => f.at)));
          r.trace = shown(trace);
          r.replay = `npx scxray replay ${r.trace} --at ${at}`;
          r.ui = `npx scxray serve --open ${r.trace} --at ${at}  (then open the URL it prints)`;
        }
      } finally {
        run.close();
      }
    } catch (e) {
      r = { testCase: c, status: 'error', failures: [], error: `${(e as Error).name}: ${(e as Error).message}`, ms: 0 };
    }
    r.ms = performance.now() - t0;
    results.push(r);
    opts.onCase?.(r);
  }
  return results;
}

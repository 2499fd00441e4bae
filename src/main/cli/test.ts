// `scxray test [PATHS...]`: run scheduler spec files (*.scx.mjs, *.scx.ts,
// *.scx.yaml; docs/testing.md) and report as a readable summary, TAP or
// JUnit XML. Exit 0 when every case passed, 1 when one failed or could not
// run, 2 for a spec that cannot be read.

import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { formatJunit, formatSummary, formatTap, counts, caseName, type CaseResult } from './scx_test/report';
import { loadCases, runCases } from './scx_test/runner';
import { SpecError } from './scx_test/spec';

interface TestOptions {
  reporter: string;
  junit?: string;
  tap?: string;
  artifacts: string;
  filter?: string;
}

export async function testCommand(paths: string[], o: TestOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (!['summary', 'tap', 'junit'].includes(o.reporter)) {
    err(`scxray test: --reporter must be summary, tap or junit (got "${o.reporter}")\n`);
    return 2;
  }
  let cases;
  try {
    cases = await loadCases(paths.length ? paths : ['.']);
  } catch (e) {
    if (e instanceof SpecError) {
      err(`scxray test: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (cases.length === 0) {
    err(`scxray test: no spec files (*.scx.mjs, *.scx.ts, *.scx.yaml) under ${(paths.length ? paths : ['.']).join(', ')}\n`);
    return 2;
  }
  const progress = o.reporter === 'summary' ? undefined : (r: CaseResult) => err(`${r.status.toUpperCase()} ${caseName(r)}\n`);
  const results = await runCases(cases, { artifacts: o.artifacts, filter: o.filter, onCase: progress });
  if (o.junit) writeFileSync(o.junit, formatJunit(results));
  if (o.tap) writeFileSync(o.tap, formatTap(results));
  out(o.reporter === 'junit' ? formatJunit(results) : o.reporter === 'tap' ? formatTap(results) : formatSummary(results));
  const c = counts(results);
  return c.failed + c.errors > 0 ? 1 : 0;
}

export function register(program: Command): void {
  program
    .command('test')
    .description('Run scheduler spec files (*.scx.mjs, *.scx.ts, *.scx.yaml): a matrix of workloads, seeds, CPUs and kernels against expectations')
    .argument('[paths...]', 'spec files or directories to search (default: the working directory)')
    .option('--reporter <summary|tap|junit>', 'what to print on stdout', 'summary')
    .option('--junit <file>', 'also write JUnit XML to FILE')
    .option('--tap <file>', 'also write TAP to FILE')
    .option('--artifacts <dir>', 'where traces of failed cases are kept', 'scxray-test-results')
    .option('--filter <text>', 'only cases whose "spec [workload=… seed=…]" name contains TEXT')
    .action(async (paths: string[], opts: TestOptions) => {
      process.exitCode = await testCommand(paths, opts, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
    });
}

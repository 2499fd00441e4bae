// `scxray run --setup FILE [--setup-budget MS]`: the scheduler's userspace
// half as a setup module (docs/userspace.md). What the option adds to the
// simulation, and what the run reports of it: the module's file and hash,
// its print() lines with their virtual time, and its failure if it failed.

import type { Command } from 'commander';
import type { Simulation, SimulationOptions } from '../../sim/simulation';
import { SetupError } from '../../sim/setup/module';

export { SetupError };

export interface SetupCliOptions {
  setup?: string;
  setupBudget?: string;
}

export function addSetupOptions(cmd: Command): Command {
  return cmd
    .option('--setup <file>', "the scheduler's userspace half: a setup module (.mjs/.js/.ts) run beside the object with a libbpf-skeleton-like API; it runs code (docs/userspace.md)")
    .option('--setup-budget <ms>', 'wall-clock budget of each call into the setup module, in ms (default 2000)');
}

/** The Simulation options for --setup; a bad budget is a SetupError (exit 2). */
export function setupSimOptions(opts: SetupCliOptions): Pick<SimulationOptions, 'setup' | 'setupBudgetMs'> {
  if (opts.setup === undefined) {
    if (opts.setupBudget !== undefined) throw new SetupError('--setup-budget needs --setup');
    return {};
  }
  let budget: number | undefined;
  if (opts.setupBudget !== undefined) {
    budget = Number(opts.setupBudget);
    if (!Number.isInteger(budget) || budget < 1 || budget > 600_000) throw new SetupError(`--setup-budget must be an integer number of ms from 1 to 600000 (got "${opts.setupBudget}")`);
  }
  return { setup: opts.setup, ...(budget !== undefined ? { setupBudgetMs: budget } : {}) };
}

/** `setup` in the --json summary: file, sha256, log lines, failure. */
export function setupJson(sim: Simulation): Record<string, unknown> {
  const s = sim.setup;
  if (s === undefined || sim.info.setup === undefined) return {};
  return { setup: { ...sim.info.setup, log: s.log, ...(s.failure ? { failure: s.failure.message } : {}) } };
}

/** The setup's print() lines after the text summary. */
export function formatSetupLog(sim: Simulation): string {
  const s = sim.setup;
  if (s === undefined || sim.info.setup === undefined) return '';
  const lines = s.log.map((l) => `  ${(l.t / 1e6).toFixed(3).padStart(10)}ms ${l.text}`);
  return `\nsetup ${sim.info.setup.file} (sha256 ${sim.info.setup.sha256.slice(0, 12)}):\n${lines.join('\n')}${lines.length ? '\n' : '  (no output)\n'}`;
}

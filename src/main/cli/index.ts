import { Command } from 'commander';
import { register as registerInspect } from './inspect';
import { register as registerRun } from './run';
import { register as registerReplay } from './replay';
import { register as registerExport } from './export';
import { register as registerConformance } from './conformance';
import { register as registerServe } from './serve';
import { register as registerDebug } from './debug';
import { register as registerWorkload } from './workload';
import { register as registerTest } from './test';
import { register as registerFuzz } from './fuzz_command';
import { SCXRAY_VERSION } from '../../base/version';
import { cliErrorLine } from './cli_errors';

export function buildCli(): Command {
  const program = new Command();
  program
    .name('scxray')
    .description('Load a sched_ext scheduler object (*.bpf.o), run it on a simulated machine, and see what it does.')
    .version(SCXRAY_VERSION);
  registerInspect(program);
  registerRun(program);
  registerReplay(program);
  registerExport(program);
  registerConformance(program);
  registerServe(program);
  registerDebug(program);
  registerWorkload(program);
  registerTest(program);
  registerFuzz(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (e) {
    const line = cliErrorLine(e, argv[2]);
    if (line === null) throw e;
    process.stderr.write(`${line}\n`);
    process.exitCode = 2;
  }
}

import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { runConformance } from '../../sched_ext/asm/conformance';
import type { EngineKind } from '../../sched_ext/vm/abi';

// `scxray conformance DIR [--engine jit|interp]`: run the bpf_conformance
// vectors in DIR through one VM engine, one line per failure, then a total.
export function register(program: Command): void {
  program
    .command('conformance')
    .description('Run bpf_conformance test vectors (*.data) through the VM and report failures')
    .argument('<dir>', 'directory of .data vectors (e.g. the bpf_conformance tests/ folder)')
    .option('--engine <engine>', 'VM engine: jit or interp', 'jit')
    .action((dir: string, opts: { engine: string }) => {
      if (opts.engine !== 'jit' && opts.engine !== 'interp') {
        process.stderr.write(`scxray conformance: --engine must be jit or interp, not '${opts.engine}'\n`);
        process.exitCode = 2;
        return;
      }
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        process.stderr.write(`scxray conformance: ${dir} is not a directory of .data vectors\n`);
        process.exitCode = 2;
        return;
      }
      const report = runConformance(dir, opts.engine as EngineKind);
      for (const f of report.failures) process.stdout.write(`FAIL ${f.file}: ${f.message}\n`);
      process.stdout.write(`${report.passed} passed, ${report.failed} failed\n`);
      if (report.failed > 0) process.exitCode = 1;
    });
}

import type { Command } from 'commander';

// Placeholder until the 'conformance' command lands: registers the name so --help lists it.
export function register(program: Command): void {
  program
    .command('conformance')
    .description('(not yet available)')
    .allowUnknownOption(true)
    .action(() => {
      process.stderr.write('scxray conformance: not available in this build yet\n');
      process.exitCode = 2;
    });
}

import type { Command } from 'commander';

// Placeholder until the 'export' command lands: registers the name so --help lists it.
export function register(program: Command): void {
  program
    .command('export')
    .description('(not yet available)')
    .allowUnknownOption(true)
    .action(() => {
      process.stderr.write('scxray export: not available in this build yet\n');
      process.exitCode = 2;
    });
}

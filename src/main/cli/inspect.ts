import type { Command } from 'commander';

// Placeholder until the 'inspect' command lands: registers the name so --help lists it.
export function register(program: Command): void {
  program
    .command('inspect')
    .description('(not yet available)')
    .allowUnknownOption(true)
    .action(() => {
      process.stderr.write('scxray inspect: not available in this build yet\n');
      process.exitCode = 2;
    });
}

import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startHost } from '../host/server';
import { parseDuration } from '../../sim/workload/schema';
import { openTraceHash } from '../../protocol/open_link';

const collect = (v: string, all: string[]) => [...all, v];

/** `scxray serve`: the browser host on 127.0.0.1; prints the URL (with its token) and runs until interrupted. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('Serve the scxray UI to a browser on 127.0.0.1 and print its URL (with a per-launch token)')
    .option('-p, --port <port>', 'TCP port (0 picks a free one)', '0')
    .option('--renderer <dir>', 'built renderer directory (default dist/renderer)')
    .option('--allow-path <dir>', 'also open files by path under DIR (default: only the working directory and the examples); repeatable', collect, [])
    .option('--open <trace>', 'print a URL that opens this recorded trace (its folder becomes an allowed path)')
    .option('--at <time>', 'with --open: put the cursor at this instant (e.g. 1.25s, 40ms)')
    .action(async (opts: { port: string; renderer?: string; allowPath: string[]; open?: string; at?: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`scxray serve: --port must be an integer 0..65535, got "${opts.port}"\n`);
        process.exitCode = 2;
        return;
      }
      for (const d of opts.allowPath) {
        if (!existsSync(d) || !statSync(d).isDirectory()) {
          process.stderr.write(`scxray serve: --allow-path ${d}: not a directory\n`);
          process.exitCode = 2;
          return;
        }
      }
      let openHash = '';
      if (opts.open !== undefined) {
        const trace = resolve(opts.open);
        if (!existsSync(trace) || !statSync(trace).isFile()) {
          process.stderr.write(`scxray serve: --open ${opts.open}: no such trace file\n`);
          process.exitCode = 2;
          return;
        }
        let atNs: number | undefined;
        if (opts.at !== undefined) {
          try {
            atNs = parseDuration(opts.at);
          } catch (e) {
            process.stderr.write(`scxray serve: --at ${opts.at}: ${(e as Error).message}\n`);
            process.exitCode = 2;
            return;
          }
        }
        opts.allowPath.push(dirname(trace));
        openHash = openTraceHash(trace, atNs);
      } else if (opts.at !== undefined) {
        process.stderr.write('scxray serve: --at needs --open TRACE\n');
        process.exitCode = 2;
        return;
      }
      let host;
      try {
        host = await startHost({
          port,
          allowedDirs: [process.cwd(), ...opts.allowPath.map((d) => resolve(d))],
          ...(opts.renderer ? { rendererDir: opts.renderer } : {}),
        });
      } catch (e) {
        process.stderr.write(`scxray serve: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`scxray is serving at ${host.url}${openHash}\n`);
      const stop = () => {
        void host.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

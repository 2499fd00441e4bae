import type { Command } from 'commander';
import { startHost } from '../host/server';

/** `scxray serve`: the browser host on 127.0.0.1; prints the URL and runs until interrupted. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('Serve the scxray UI to a browser on 127.0.0.1 and print its URL')
    .option('-p, --port <port>', 'TCP port (0 picks a free one)', '0')
    .option('--renderer <dir>', 'built renderer directory (default dist/renderer)')
    .action(async (opts: { port: string; renderer?: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`scxray serve: --port must be an integer 0..65535, got "${opts.port}"\n`);
        process.exitCode = 2;
        return;
      }
      let host;
      try {
        host = await startHost({ port, ...(opts.renderer ? { rendererDir: opts.renderer } : {}) });
      } catch (e) {
        process.stderr.write(`scxray serve: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`scxray is serving at ${host.url}\n`);
      const stop = () => {
        void host.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

// `scxray export FILE --format chrome-json -o out.json`: a recorded trace as
// Chrome Trace Event JSON, which Perfetto UI and chrome://tracing open.
// Exit 2 on bad input (TraceError on stderr).

import type { Command } from 'commander';
import { closeSync, openSync, writeSync } from 'node:fs';
import { osErrorText } from '../../base/os_error';
import { writeChromeTrace } from '../../sim/trace/chrome_export';
import { TraceError } from '../../sim/trace/errors';
import { TraceReader } from '../../sim/trace/reader';

interface ExportOptions {
  format: string;
  output?: string;
}

function openOutput(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (e) {
    throw new TraceError('io', `cannot write the output: ${osErrorText(e)}`, { file: path });
  }
}

export function exportTrace(file: string, o: ExportOptions): number {
  if (o.format !== 'chrome-json') throw new TraceError('bad_argument', `unknown export format "${o.format}"; supported: chrome-json`);
  const r = TraceReader.open(file);
  let fd: number | null = null;
  try {
    fd = o.output === undefined || o.output === '-' ? 1 : openOutput(o.output);
    const target = fd;
    return writeChromeTrace(r, (s) => {
      writeSync(target, s);
    });
  } finally {
    if (fd !== null && fd !== 1) closeSync(fd);
    r.close();
  }
}

export function register(program: Command): void {
  program
    .command('export')
    .description('Convert a recorded trace for other tools (Chrome Trace Event JSON for Perfetto UI / chrome://tracing)')
    .argument('<file>', 'trace file recorded by scxray run')
    .option('--format <format>', 'output format: chrome-json', 'chrome-json')
    .option('-o, --output <path>', 'where to write (default: stdout)')
    .action((file: string, o: ExportOptions) => {
      try {
        const n = exportTrace(file, o);
        if (o.output !== undefined && o.output !== '-') process.stderr.write(`scxray export: wrote ${n} trace events to ${o.output}\n`);
      } catch (e) {
        if (!(e instanceof TraceError)) throw e;
        process.stderr.write(`scxray export: ${e.message}\n`);
        process.exitCode = 2;
      }
    });
}

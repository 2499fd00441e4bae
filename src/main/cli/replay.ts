// `scxray replay FILE --at 1.5s [--json]`: the state at an instant;
// `scxray replay FILE --events 1s..2s [--kind dispatch]`: events in a window.
// `scxray replay FILE --summary [--from 1s] [--to 2s] [--json]`: the range
// summary (per task, op, source line, DSQ) the UI's Range tab shows.
// Without any, a summary of the file. Exit 2 on bad input (TraceError on stderr).

import type { Command } from 'commander';
import type { SimEvent } from '../../model/events';
import { TraceError } from '../../sim/trace/errors';
import { TraceReader } from '../../sim/trace/reader';
import { formatEvent, formatSnapshot } from '../../sim/trace/text_format';
import { formatTime, parseTime, parseTimeRange } from '../../sim/trace/time_units';
import { rangeSummary } from '../session/range_summary';
import { readerTimeline } from '../session/timeline';
import { formatRangeSummary } from './range_text';

interface ReplayOptions {
  at?: string;
  events?: string;
  kind?: string[];
  cpu?: string;
  pid?: string;
  limit?: string;
  summary?: boolean;
  from?: string;
  to?: string;
  json?: boolean;
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
}

function intOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new TraceError('bad_argument', `--${name} expects a whole number, got "${v}"`);
  return Number(v);
}

/** Event kinds match by kind name, and op events also by their callback name (--kind dispatch). */
function kindMatcher(kinds: string[] | undefined): (e: SimEvent) => boolean {
  if (!kinds || kinds.length === 0) return () => true;
  const set = new Set(kinds);
  return (e) => set.has(e.kind) || (e.kind === 'op' && set.has(e.op));
}

function eventJson(e: SimEvent): unknown {
  return e.kind === 'ringbuf' ? { ...e, bytes: Array.from(e.bytes) } : e;
}

export function replay(file: string, o: ReplayOptions, out: (s: string) => void, err: (s: string) => void): void {
  const r = TraceReader.open(file);
  try {
    const rec = r.recovery;
    if (!rec.complete) err(`scxray replay: ${file} has no footer (recording ended abruptly or is still running); read ${r.chunkCount} whole chunks${rec.lostBytes > 0 ? `, ${rec.lostBytes} bytes after them unusable: ${rec.reason}` : ''}\n`);
    if ((o.from !== undefined || o.to !== undefined) && !o.summary) throw new TraceError('bad_argument', '--from and --to go with --summary (the range it covers)');
    if (o.summary) {
      // --to is exclusive like every range here; by default one past the last event, so the range holds them all
      const t0 = o.from !== undefined ? parseTime(o.from) : 0;
      const t1 = o.to !== undefined ? parseTime(o.to) : r.endTime + 1;
      if (t1 < t0) throw new TraceError('bad_argument', `--to ${o.to} is before --from ${o.from ?? '0'}`);
      const s = rangeSummary(readerTimeline(r), t0, t1);
      if (s.truncated) err(`scxray replay: the range has more events than one summary reads; the figures stop at ${formatTime(s.t1)}\n`);
      out(o.json ? JSON.stringify(s, null, 2) + '\n' : formatRangeSummary(file, s));
      return;
    }
    if (o.at !== undefined) {
      const s = r.stateAt(parseTime(o.at));
      out(o.json ? JSON.stringify(s, null, 2) + '\n' : formatSnapshot(s));
      return;
    }
    if (o.events !== undefined) {
      const [t0, t1] = parseTimeRange(o.events);
      const match = kindMatcher(o.kind);
      const cpu = intOption('cpu', o.cpu);
      const pid = intOption('pid', o.pid);
      const limit = intOption('limit', o.limit) ?? Infinity;
      let n = 0;
      r.forEachEvent((e) => {
        if (n >= limit || !match(e)) return;
        if (cpu !== undefined && (!('cpu' in e) || e.cpu !== cpu)) return;
        if (pid !== undefined && !(('pid' in e && e.pid === pid) || (e.kind === 'switch' && (e.prevPid === pid || e.nextPid === pid)))) return;
        n++;
        out((o.json ? JSON.stringify(eventJson(e)) : formatEvent(e)) + '\n');
      }, t0, t1);
      return;
    }
    const info = r.info;
    const summary = {
      file,
      format: `${r.formatVersion.major}.${r.formatVersion.minor}`,
      ...info,
      start: r.startTime,
      end: r.endTime,
      events: r.eventCount,
      chunks: r.chunkCount,
      complete: rec.complete,
    };
    if (o.json) out(JSON.stringify(summary, null, 2) + '\n');
    else {
      out(`${file}: scxray trace format ${summary.format}\n`);
      out(`  scheduler ${info.scheduler} (${info.objectFile}, sha256 ${info.objectSha256})\n`);
      out(`  workload ${info.workload}, seed ${info.seed}, ${info.machine.cpus} CPUs, kernel ${info.kernelVersion}, scxray ${info.scxrayVersion}\n`);
      out(`  ${r.eventCount} events in ${r.chunkCount} chunks, ${formatTime(r.startTime)} .. ${formatTime(r.endTime)}${rec.complete ? '' : ' (incomplete)'}\n`);
    }
  } finally {
    r.close();
  }
}

export function register(program: Command): void {
  program
    .command('replay')
    .description('Show a recorded trace: the state at an instant (--at), the events in a window (--events) or a range\'s figures (--summary)')
    .argument('<file>', 'trace file recorded by scxray run')
    .option('--at <time>', 'print the full state at this instant, e.g. 1.5s, 200ms, 30us, 1200ns')
    .option('--events <range>', 'print events in a time range, e.g. 1s..2s (either end may be left out)')
    .option('--kind <kind>', 'with --events: only these event kinds or op names (repeatable, comma-separated)', collect)
    .option('--cpu <n>', 'with --events: only events on this CPU')
    .option('--pid <n>', 'with --events: only events about this task')
    .option('--limit <n>', 'with --events: stop after this many')
    .option('--summary', 'per task runtime, wait, runs and wakeup latency; per op calls and instructions; per source line ownership events; per DSQ max depth (the UI\'s Range tab)')
    .option('--from <time>', 'with --summary: the range starts here (default: the start)')
    .option('--to <time>', 'with --summary: the range ends before this instant (default: after the last event)')
    .option('--json', 'machine-readable output')
    .action((file: string, o: ReplayOptions) => {
      try {
        replay(file, o, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
      } catch (e) {
        if (!(e instanceof TraceError)) throw e;
        process.stderr.write(`scxray replay: ${e.message}\n`);
        process.exitCode = 2;
      }
    });
}

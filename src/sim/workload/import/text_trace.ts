// Reads the text forms of the kernel's sched tracepoints: ftrace's trace file
// (/sys/kernel/tracing/trace, with or without the tgid column),
// `trace-cmd report`, and `perf script` / `perf sched script` (with or without
// `--header -I`, whose CPU count and topology lines are kept). Each event
// line is "COMM-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS" (perf: "COMM PID
// [CPU] TIMESTAMP: sched:EVENT: FIELDS"); the task in the line head is the
// one the event was recorded in, which for sched_waking/sched_wakeup is the
// waker (perf prints an exited task as ":-1 -1": unknown). Errors name the
// line.

import { SchedTraceBuilder, TraceImportError, secondsToNs, type SchedTrace, type TraceFormat } from './sched_trace';

/**
 * The line head: an optional trace-cmd instance name ("inst: "), COMM-PID or
 * COMM PID, an optional tgid "(PID)", then "[CPU] FLAGS" (ftrace, trace-cmd,
 * perf without flags) or trace-cmd report -l's "CPUFLAGS" ("1d..2."), the
 * timestamp in seconds, an optional "sched:" system, the event and its fields.
 */
const HEAD = /^\s*(?:[\w.-]+:\s+)?(?<comm>.*?)[- ](?<pid>-?\d+)\s+(?:\(\s*[\d-]+\)\s+)?(?:\[(?<cpu>\d+)\]\s+(?:(?<flags>[.a-zA-Z0-9]{4,6})\s+)?|(?<lcpu>\d+)(?<lflags>[.dDX][.a-zA-Z0-9]{3,5})\s+)(?<ts>\d+\.\d+):\s+(?:\w+:)?(?<event>\w+):\s*(?<body>.*)$/;

const SWITCH = /^prev_comm=(.*) prev_pid=(\d+) prev_prio=(-?\d+) prev_state=(\S+) ==> next_comm=(.*) next_pid=(\d+) next_prio=(-?\d+)\s*$/;
/** trace-cmd's sched plugin form: "bash:1234 [120] S ==> swapper/0:0 [120]". */
const SWITCH_PLUGIN = /^(.*):(\d+) \[(-?\d+)\] (\S+) ==> (.*):(\d+) \[(-?\d+)\]\s*$/;
const WAKEUP = /^comm=(.*) pid=(\d+) prio=(-?\d+)(?: success=\d+)? target_cpu=(\d+)\s*$/;
/** trace-cmd's plugin form: "bash:1234 [120] success=1 CPU:002". */
const WAKEUP_PLUGIN = /^(.*):(\d+) \[(-?\d+)\](?: success=\d+)? CPU:(\d+)\s*$/;
const FORK = /^comm=(.*) pid=(\d+) child_comm=(.*) child_pid=(\d+)\s*$/;
const EXIT = /^comm=(.*) pid=(\d+) prio=(-?\d+)(?: group_dead=\w+)?\s*$/;
const MIGRATE = /^comm=(.*) pid=(\d+) prio=(-?\d+) orig_cpu=(\d+) dest_cpu=(\d+)\s*$/;
const STAT_RUNTIME = /^comm=(.*) pid=(\d+) runtime=(\d+) \[ns\]/;

const EXPECTED: Record<string, string> = {
  sched_switch: 'prev_comm= prev_pid= prev_prio= prev_state= ==> next_comm= next_pid= next_prio=',
  sched_wakeup: 'comm= pid= prio= target_cpu=',
  sched_waking: 'comm= pid= prio= target_cpu=',
  sched_wakeup_new: 'comm= pid= prio= target_cpu=',
  sched_process_fork: 'comm= pid= child_comm= child_pid=',
  sched_process_exit: 'comm= pid= prio=',
  sched_migrate_task: 'comm= pid= prio= orig_cpu= dest_cpu=',
  sched_stat_runtime: 'comm= pid= runtime= [ns]',
};

/** Lines that are neither events nor errors: headers, trace-cmd banners, perf callchain frames. */
function isNoise(line: string): boolean {
  return line.trim() === '' || line.startsWith('#') || /^(cpus=\d+|version = |CPU:?\s*\d+ is empty|\s+[0-9a-f]{6,} )/.test(line);
}

/** Whether ftrace's flags column says the event ran in interrupt context (hardirq, softirq, NMI): then the line's task is not the waker. */
function inInterrupt(flags: string | undefined): boolean {
  return flags !== undefined && flags.length >= 3 && 'hsHz'.includes(flags[2]!);
}

function cpuListSize(list: string): number {
  let n = 0;
  for (const part of list.split(',')) {
    const [a, b] = part.split('-').map((x) => Number.parseInt(x.trim(), 10));
    if (a === undefined || Number.isNaN(a)) continue;
    n += b === undefined || Number.isNaN(b) ? 1 : b - a + 1;
  }
  return n;
}

/** Header lines that describe the machine: ftrace "#P:N", trace-cmd "cpus=N", perf --header -I. */
function readHeader(line: string, b: SchedTraceBuilder): void {
  let m = /#P:(\d+)/.exec(line) ?? /^cpus=(\d+)/.exec(line) ?? /^# nrcpus online : (\d+)/.exec(line);
  if (m) {
    b.machine.cpus = Number(m[1]);
    return;
  }
  // perf's header; scxray's exports write it in both styles so a task running at the end keeps its last slice
  m = /^# time of last sample : (\d+\.\d+)/.exec(line);
  if (m) {
    b.lastSampleNs = secondsToNs(m[1]!);
    return;
  }
  m = /^# sibling threads : (.+)$/.exec(line);
  if (m) {
    b.machine.smt ??= cpuListSize(m[1]!);
    return;
  }
  m = /^# node\d+ cpu list : (.+)$/.exec(line);
  if (m) b.machine.numa ??= cpuListSize(m[1]!);
}

export interface TextTraceResult {
  trace: SchedTrace;
  /** Per pid, the sum of sched_stat_runtime runtimes when the trace has them (perf sched record does). */
  statRuntimeNs: Map<number, number>;
  /** Event lines of other tracepoints, skipped. */
  skipped: number;
}

export function parseTextTrace(text: string, source: string, format?: TraceFormat): TextTraceResult {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const b = new SchedTraceBuilder(source, format ?? (/\[\d+\]\s+\d+\.\d+: sched:/.test(text.slice(0, 65536)) ? 'perf' : 'ftrace'));
  const statRuntimeNs = new Map<number, number>();
  let skipped = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const no = i + 1;
    if (isNoise(line)) {
      readHeader(line, b);
      continue;
    }
    const h = HEAD.exec(line);
    if (!h) {
      throw new TraceImportError(source, no, `not a trace event line (expected "COMM-PID [CPU] TIMESTAMP: EVENT: FIELDS" as ftrace, trace-cmd report or perf script print it): "${line.slice(0, 120)}"`);
    }
    const g = h.groups!;
    const { comm, pid: pidText, ts, event: name, body } = g;
    const cpuText = g.cpu ?? g.lcpu;
    const flags = g.flags ?? g.lflags;
    const event = name!;
    const cpu = Number(cpuText);
    const t = secondsToNs(ts!);
    const cur = Number(pidText);
    const bad = (): never => {
      throw new TraceImportError(source, no, `${event}: fields do not parse (expected "${EXPECTED[event]}", got "${body!.slice(0, 160)}"${i === lines.length - 1 ? '; the file may be truncated' : ''})`);
    };
    b.task(cur, comm);
    switch (event) {
      case 'sched_switch': {
        const m = SWITCH.exec(body!) ?? SWITCH_PLUGIN.exec(body!) ?? bad();
        const prevPid = Number(m[2]);
        const nextPid = Number(m[6]);
        b.task(prevPid, m[1], Number(m[3]));
        b.task(nextPid, m[5], Number(m[7]));
        b.event({ t, kind: 'switch', cpu, prevPid, prevState: m[4]!, nextPid, line: no, ctx: cur });
        break;
      }
      case 'sched_waking':
      case 'sched_wakeup':
      case 'sched_wakeup_new': {
        const m = WAKEUP.exec(body!) ?? WAKEUP_PLUGIN.exec(body!) ?? bad();
        const pid = Number(m[2]);
        b.task(pid, m[1], Number(m[3]));
        b.event({ t, kind: 'wakeup', cpu, pid, targetCpu: Number(m[4]), waker: inInterrupt(flags) || cur < 0 ? 0 : cur, isNew: event === 'sched_wakeup_new', line: no, ctx: cur });
        break;
      }
      case 'sched_process_fork': {
        const m = FORK.exec(body!) ?? bad();
        const parent = Number(m[2]);
        const child = Number(m[4]);
        b.task(parent, m[1]);
        b.task(child, m[3]);
        b.event({ t, kind: 'fork', cpu, parent, child, line: no, ctx: cur });
        break;
      }
      case 'sched_process_exit': {
        const m = EXIT.exec(body!) ?? bad();
        b.task(Number(m[2]), m[1], Number(m[3]));
        b.event({ t, kind: 'exit', cpu, pid: Number(m[2]), line: no, ctx: cur });
        break;
      }
      case 'sched_migrate_task': {
        const m = MIGRATE.exec(body!) ?? bad();
        b.task(Number(m[2]), m[1], Number(m[3]));
        b.event({ t, kind: 'migrate', cpu, pid: Number(m[2]), from: Number(m[4]), to: Number(m[5]), line: no, ctx: cur });
        break;
      }
      case 'sched_stat_runtime': {
        const m = STAT_RUNTIME.exec(body!) ?? bad();
        const pid = Number(m[2]);
        statRuntimeNs.set(pid, (statRuntimeNs.get(pid) ?? 0) + Number(m[3]));
        break;
      }
      default:
        skipped++;
    }
  }
  return { trace: b.finish(), statRuntimeNs, skipped };
}

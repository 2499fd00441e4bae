// Writes a scheduling trace as text the importer (import/text_trace.ts) and
// the usual tools read: `perf script --ns` style ("COMM PID [CPU]
// TIMESTAMP: sched:EVENT: FIELDS") or ftrace's trace file style
// ("COMM-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS"), with the kernel's field
// layout for each tracepoint. Perfetto JSON wraps the ftrace form
// (perfetto_json.ts).

import type { SchedTrace, TraceEvent } from '../import/sched_trace';

export type TextStyle = 'perf' | 'ftrace';

function seconds(ns: number): string {
  const s = Math.floor(ns / 1e9);
  return `${s}.${String(Math.round(ns - s * 1e9)).padStart(9, '0')}`;
}

export function* schedTextLines(trace: SchedTrace, style: TextStyle): Generator<string> {
  const comm = (pid: number, _cpu?: number): string => (pid === 0 ? (style === 'perf' ? 'swapper' : `<idle>`) : trace.tasks.get(pid)?.comm ?? `pid${pid}`);
  const prio = (pid: number): number => (pid === 0 ? 120 : trace.tasks.get(pid)?.prio ?? 120);
  // the task current on each CPU: the context an event is recorded in
  const curr = new Map<number, number>();
  if (style === 'perf') {
    yield `# nrcpus online : ${trace.machine.cpus}`;
    yield `# nrcpus avail : ${trace.machine.cpus}`;
  } else {
    yield `# tracer: nop`;
    yield `#`;
    yield `# entries-in-buffer/entries-written: ${trace.events.length}/${trace.events.length}   #P:${trace.machine.cpus}`;
  }
  // perf's header field for the end of the recording: tasks on a CPU at the end run until then
  yield `# time of last sample : ${seconds(trace.endNs)}`;
  yield `#`;
  const head = (pid: number, cpu: number, t: number, event: string): string => {
    const c = String(cpu).padStart(3, '0');
    return style === 'perf'
      ? `${comm(pid, cpu).padStart(16)} ${String(pid).padStart(6)} [${c}] ${seconds(t)}: sched:${event}: `
      : `${`${comm(pid, cpu)}-${pid}`.padStart(22)} [${c}] d..2. ${seconds(t)}: ${event}: `;
  };
  const body = (e: TraceEvent): [number, string, string] => {
    switch (e.kind) {
      case 'switch':
        return [e.prevPid, 'sched_switch',
          `prev_comm=${comm(e.prevPid, e.cpu)} prev_pid=${e.prevPid} prev_prio=${prio(e.prevPid)} prev_state=${e.prevState} ==> next_comm=${comm(e.nextPid, e.cpu)} next_pid=${e.nextPid} next_prio=${prio(e.nextPid)}`];
      case 'wakeup':
        return [e.waker, e.isNew ? 'sched_wakeup_new' : 'sched_waking', `comm=${comm(e.pid, e.cpu)} pid=${e.pid} prio=${prio(e.pid)} target_cpu=${String(e.targetCpu).padStart(3, '0')}`];
      case 'fork':
        return [e.parent, 'sched_process_fork', `comm=${comm(e.parent, e.cpu)} pid=${e.parent} child_comm=${comm(e.child, e.cpu)} child_pid=${e.child}`];
      case 'exit':
        return [e.pid, 'sched_process_exit', `comm=${comm(e.pid, e.cpu)} pid=${e.pid} prio=${prio(e.pid)}`];
      case 'migrate':
        return [curr.get(e.cpu) ?? 0, 'sched_migrate_task', `comm=${comm(e.pid, e.cpu)} pid=${e.pid} prio=${prio(e.pid)} orig_cpu=${e.from} dest_cpu=${e.to}`];
    }
  };
  for (const e of trace.events) {
    const [ctx, event, fields] = body(e);
    yield head(ctx, e.cpu, e.t, event) + fields;
    if (e.kind === 'switch') curr.set(e.cpu, e.nextPid);
  }
}

export function writeSchedText(trace: SchedTrace, style: TextStyle): string {
  return [...schedTextLines(trace, style)].join('\n') + '\n';
}

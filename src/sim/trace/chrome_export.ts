// Chrome Trace Event JSON (the format Perfetto UI and chrome://tracing open):
// one process for the run, one thread track per CPU with its run slices (ph
// X), one track per CPU for wakeups, DSQ depth counters (ph C), instants for
// diagnostics, printk and the exit (ph i), flows (ph s/f) from each wakeup to
// the run that followed, and metadata names (ph M). Timestamps are µs.

import type { SimEvent } from '../../model/events';
import type { TraceReader } from './reader';

export interface ChromeEvent {
  name: string;
  ph: 'X' | 'C' | 'i' | 's' | 'f' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: 'g' | 'p' | 't';
  id?: number;
  bp?: 'e';
  args?: Record<string, unknown>;
}

const PID = 1;
const cpuTid = (cpu: number): number => cpu + 1;
const wakeTid = (cpu: number): number => 10_000 + cpu;
const us = (ns: number): number => ns / 1000;

export function* chromeEvents(reader: TraceReader): Generator<ChromeEvent> {
  const info = reader.info;
  const ncpu = info.machine.cpus;
  yield { name: 'process_name', ph: 'M', pid: PID, tid: 0, args: { name: `scxray: ${info.scheduler} (${info.workload}, seed ${info.seed})` } };
  for (let cpu = 0; cpu < ncpu; cpu++) {
    yield { name: 'thread_name', ph: 'M', pid: PID, tid: cpuTid(cpu), args: { name: `CPU ${cpu}` } };
    yield { name: 'thread_sort_index', ph: 'M', pid: PID, tid: cpuTid(cpu), args: { sort_index: 2 * cpu } };
    yield { name: 'thread_name', ph: 'M', pid: PID, tid: wakeTid(cpu), args: { name: `CPU ${cpu} wakeups` } };
    yield { name: 'thread_sort_index', ph: 'M', pid: PID, tid: wakeTid(cpu), args: { sort_index: 2 * cpu + 1 } };
  }

  const comm = new Map<number, string>();
  const first = reader.chunkCount > 0 ? reader.stateAt(reader.startTime) : null;
  for (const task of first?.tasks ?? []) comm.set(task.pid, task.comm);

  // Instants and flows, streamed chunk by chunk.
  const pending = new Map<number, { id: number; t: number; cpu: number }>();
  let nextFlow = 1;
  const out: ChromeEvent[] = [];
  const onEvent = (e: SimEvent): void => {
    switch (e.kind) {
      case 'task_new':
        comm.set(e.pid, e.comm);
        break;
      case 'task_state':
        if (e.state === 'runnable' && e.cpu >= 0 && e.cpu < ncpu) pending.set(e.pid, { id: nextFlow++, t: e.t, cpu: e.cpu });
        break;
      case 'switch': {
        const w = pending.get(e.nextPid);
        if (!w || e.cpu >= ncpu) break;
        pending.delete(e.nextPid);
        const name = `wakeup ${comm.get(e.nextPid) ?? '?'}:${e.nextPid}`;
        out.push({ name, cat: 'wakeup', ph: 'X', pid: PID, tid: wakeTid(w.cpu), ts: us(w.t), dur: 0, args: { pid: e.nextPid } });
        out.push({ name: 'wakeup→run', cat: 'wakeup', ph: 's', pid: PID, tid: wakeTid(w.cpu), ts: us(w.t), id: w.id });
        out.push({ name: 'wakeup→run', cat: 'wakeup', ph: 'f', bp: 'e', pid: PID, tid: cpuTid(e.cpu), ts: us(e.t), id: w.id });
        break;
      }
      case 'diagnostic':
        out.push({ name: `${e.diag.kind}: ${e.diag.message}`, cat: 'diagnostic', ph: 'i', s: 'g', pid: PID, tid: 0, ts: us(e.t), args: { ...e.diag } });
        break;
      case 'printk':
        if (e.cpu < ncpu) out.push({ name: e.text, cat: 'printk', ph: 'i', s: 't', pid: PID, tid: cpuTid(e.cpu), ts: us(e.t), args: { program: e.program } });
        break;
      case 'exit':
        out.push({ name: `exit ${e.exit.kind}`, cat: 'exit', ph: 'i', s: 'g', pid: PID, tid: 0, ts: us(e.t), args: { ...e.exit } });
        break;
      default:
        break;
    }
  };
  for (let ci = 0; ci < reader.chunkCount; ci++) {
    for (const e of reader.chunkEvents(ci)) onEvent(e);
    yield* out;
    out.length = 0;
  }

  const slices = reader.runSlices(-Infinity, Infinity, 0);
  for (let i = 0; i < slices.cpu.length; i++) {
    const pid = slices.pid[i]!;
    const start = slices.start[i]!;
    yield { name: `${comm.get(pid) ?? 'task'}:${pid}`, cat: 'run', ph: 'X', pid: PID, tid: cpuTid(slices.cpu[i]!), ts: us(start), dur: us(slices.end[i]!) - us(start), args: { pid } };
  }

  for (const series of reader.counters(-Infinity, Infinity, 0)) {
    for (let i = 0; i < series.t.length; i++) {
      yield { name: `DSQ ${series.label}`, cat: 'dsq', ph: 'C', pid: PID, tid: 0, ts: us(series.t[i]!), args: { depth: series.value[i]! } };
    }
  }
}

/** Writes the whole export as one JSON object, piece by piece; returns the event count. */
export function writeChromeTrace(reader: TraceReader, write: (text: string) => void): number {
  write('{"displayTimeUnit":"ns","otherData":');
  write(JSON.stringify({ tool: 'scxray', ...reader.info }));
  write(',"traceEvents":[\n');
  let n = 0;
  let batch: string[] = [];
  for (const e of chromeEvents(reader)) {
    batch.push(JSON.stringify(e));
    n++;
    if (batch.length === 4096) {
      write((n > batch.length ? ',\n' : '') + batch.join(',\n'));
      batch = [];
    }
  }
  if (batch.length > 0) write((n > batch.length ? ',\n' : '') + batch.join(',\n'));
  write('\n]}\n');
  return n;
}

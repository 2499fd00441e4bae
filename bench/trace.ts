// Trace file figures (issue 5): bytes per event on disk, write throughput
// (events/s, MB/s), open time with and without the footer, stateAt (seek)
// latency, full read throughput and the timeline index build, on a generated
// 10M-event trace; plus bytes per event on a real simulator run.
// Goals: <= 16 bytes/event, seek <= 50 ms.

import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunInfo, SimEvent } from '../src/model/events';
import { Simulation } from '../src/sim/simulation';
import { mulberry32 } from '../src/sim/trace/testing/toy_simulation';
import { TraceReader } from '../src/sim/trace/reader';
import { writeChromeTrace } from '../src/sim/trace/chrome_export';
import { TraceRecorder } from '../src/sim/trace/recorder';

const N_EVENTS = Number(process.env.SCXRAY_BENCH_TRACE_EVENTS ?? 10_000_000);
const NCPU = 16;
const NTASKS = 64;

function info(): RunInfo {
  return { scheduler: 'synthetic', objectFile: 'synthetic.bpf.o', objectSha256: '0'.repeat(64), workload: 'synthetic', seed: 1, machine: { cpus: NCPU }, kernelVersion: '6.12', scxrayVersion: '0.1.0' };
}

/**
 * A scheduler-shaped event stream: wakeups (enqueue into a vtime DSQ),
 * dispatches (consume, switch, running), and stops, on 16 CPUs and 64 tasks,
 * with the ops' instruction counts and times as a simulator reports them.
 */
function* synthetic(n: number): Generator<SimEvent> {
  const rand = mulberry32(42);
  const DSQ = '0x64';
  const curr = new Int32Array(NCPU);
  const queued: number[] = [];
  const sleeping: number[] = [];
  let t = 0;
  let emitted = 0;
  yield { t, kind: 'dsq_create', dsq: DSQ, name: '100', vtime: true };
  for (let pid = 1; pid <= NTASKS; pid++) {
    yield { t, kind: 'task_new', pid, comm: `worker-${pid}`, weight: 100 };
    sleeping.push(pid);
  }
  let vtime = 0;
  while (emitted < n) {
    t += 1 + Math.floor(rand() * 20_000);
    const cpu = Math.floor(rand() * NCPU);
    const r = rand();
    const batch: SimEvent[] = [];
    if (r < 0.4 && sleeping.length > 0) {
      const pid = sleeping.splice(Math.floor(rand() * sleeping.length), 1)[0]!;
      vtime += Math.floor(rand() * 5000);
      batch.push(
        { t, kind: 'task_state', pid, state: 'runnable', cpu },
        { t, kind: 'op', cpu, op: 'enqueue', pid, args: ['0x0'], insns: 40 + Math.floor(rand() * 30) },
        { t, kind: 'dsq_insert', cpu, dsq: DSQ, pid, slice: 20_000_000, vtime, head: false },
      );
      queued.push(pid);
    } else if (r < 0.75 && curr[cpu] === 0 && queued.length > 0) {
      const pid = queued.shift()!;
      batch.push(
        { t, kind: 'op', cpu, op: 'dispatch', pid: -1, args: [String(cpu)], insns: 60 + Math.floor(rand() * 60) },
        { t, kind: 'dsq_remove', cpu, dsq: DSQ, pid, reason: 'consume' },
        { t, kind: 'switch', cpu, prevPid: 0, nextPid: pid },
        { t, kind: 'idle', cpu, idle: false },
        { t, kind: 'task_state', pid, state: 'running', cpu },
        { t, kind: 'op', cpu, op: 'running', pid, args: [], insns: 12 },
      );
      curr[cpu] = pid;
    } else if (curr[cpu] !== 0) {
      const pid = curr[cpu]!;
      batch.push(
        { t, kind: 'op', cpu, op: 'stopping', pid, args: ['true'], insns: 25 },
        { t, kind: 'switch', cpu, prevPid: pid, nextPid: 0 },
        { t, kind: 'task_state', pid, state: 'sleeping', cpu },
        { t, kind: 'idle', cpu, idle: true },
      );
      curr[cpu] = 0;
      sleeping.push(pid);
    }
    for (const e of batch) yield e;
    emitted += batch.length;
  }
}

function ms(a: bigint, b: bigint): number {
  return Number(b - a) / 1e6;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function realRunBytesPerEvent(dir: string): string {
  try {
    const obj = new Uint8Array(readFileSync(fileURLToPath(new URL('../assets/schedulers/vtime.bpf.o', import.meta.url))));
    const sim = new Simulation({ objectBytes: obj, file: 'vtime.bpf.o', workload: 'interactive', cpus: 8, seed: 1 });
    const path = join(dir, 'real.scxtrace');
    const rec = new TraceRecorder(path, sim.info, { snapshot: () => sim.snapshot() });
    sim.on((e) => rec.event(e));
    sim.runFor(500_000_000);
    rec.close();
    return `${(statSync(path).size / rec.eventCount).toFixed(2)} bytes/event (${rec.eventCount} events, vtime.bpf.o on interactive, 8 CPUs, 0.5 s simulated)`;
  } catch (e) {
    return `not measured: ${(e as Error).message}`;
  }
}

export async function benchTrace(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'scxray-bench-trace-'));
  try {
    const path = join(dir, 'big.scxtrace');
    let t0 = process.hrtime.bigint();
    const rec = new TraceRecorder(path, info());
    for (const e of synthetic(N_EVENTS)) rec.event(e);
    rec.close();
    let t1 = process.hrtime.bigint();
    const size = statSync(path).size;
    const events = rec.eventCount;
    const writeMs = ms(t0, t1);
    console.log(`  trace: ${events} events (synthetic, ${NCPU} CPUs, ${NTASKS} tasks), ${rec.chunkCount} chunks, ${(size / 1e6).toFixed(1)} MB`);
    console.log(`  bytes/event          ${(size / events).toFixed(2)}   (goal <= 16)`);
    console.log(`  write                ${Math.round(events / (writeMs / 1000)).toLocaleString('en')} events/s, ${(size / 1e6 / (writeMs / 1000)).toFixed(1)} MB/s (keyframes derived by replay)`);

    t0 = process.hrtime.bigint();
    const r = TraceReader.open(path);
    t1 = process.hrtime.bigint();
    console.log(`  open (footer)        ${ms(t0, t1).toFixed(2)} ms`);

    const cut = join(dir, 'cut.scxtrace');
    copyFileSync(path, cut);
    truncateSync(cut, size - 100); // footer gone: the reader scans and checks every chunk
    t0 = process.hrtime.bigint();
    const rc = TraceReader.open(cut);
    t1 = process.hrtime.bigint();
    console.log(`  open (no footer)     ${ms(t0, t1).toFixed(1)} ms, recovered ${rc.chunkCount}/${r.chunkCount} chunks (${(size / 1e6 / (ms(t0, t1) / 1000)).toFixed(0)} MB/s scan)`);
    rc.close();

    const rand = mulberry32(7);
    const lat: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = r.startTime + rand() * r.duration;
      const a = process.hrtime.bigint();
      r.stateAt(t);
      lat.push(ms(a, process.hrtime.bigint()));
    }
    console.log(`  stateAt (seek)       median ${pct(lat, 50).toFixed(2)} ms, p95 ${pct(lat, 95).toFixed(2)} ms, max ${Math.max(...lat).toFixed(2)} ms over 200 random instants (goal <= 50)`);

    t0 = process.hrtime.bigint();
    let n = 0;
    r.forEachEvent(() => void n++);
    t1 = process.hrtime.bigint();
    console.log(`  read all events      ${Math.round(n / (ms(t0, t1) / 1000)).toLocaleString('en')} events/s, ${(size / 1e6 / (ms(t0, t1) / 1000)).toFixed(1)} MB/s`);

    t0 = process.hrtime.bigint();
    r.runSlices(r.startTime, r.endTime, r.duration / 1000);
    t1 = process.hrtime.bigint();
    const q: number[] = [];
    for (let i = 0; i < 50; i++) {
      const w = r.duration * (0.001 + rand() * 0.2);
      const s = r.startTime + rand() * (r.duration - w);
      const a = process.hrtime.bigint();
      r.runSlices(s, s + w, w / 1500);
      r.counters(s, s + w, w / 1500);
      q.push(ms(a, process.hrtime.bigint()));
    }
    console.log(`  timeline index       built in ${ms(t0, t1).toFixed(0)} ms; window query (slices + counters, 1500 px) median ${pct(q, 50).toFixed(2)} ms, max ${Math.max(...q).toFixed(2)} ms`);
    t0 = process.hrtime.bigint();
    let jsonBytes = 0;
    const exported = writeChromeTrace(r, (text) => void (jsonBytes += text.length));
    t1 = process.hrtime.bigint();
    console.log(`  chrome-json export   ${exported.toLocaleString('en')} trace events, ${(jsonBytes / 1e6).toFixed(0)} MB in ${(ms(t0, t1) / 1000).toFixed(1)} s`);
    r.close();
    console.log(`  real run             ${realRunBytesPerEvent(dir)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchTrace();

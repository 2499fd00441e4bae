// Simulation speed: simulated time over wall time, and op callbacks per
// second, for 4, 16 and 64 CPUs with 4x as many tasks (the overload
// preset), FIFO and vtime schedulers, with trace recording off and on.
// Goal (issue 4): >= 500x real time at 16 CPUs. events/s counts recorded
// events with recording on, machine events (clock steps) with it off.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Simulation } from '../src/sim/simulation';
import { TraceRecorder } from '../src/sim/trace/recorder';

const SCHEDULERS = ['fifo', 'vtime'];
const CPUS = [4, 16, 64];
const REPEATS = 3;
const WARMUP_NS = 2_000_000_000;

interface Row {
  span: number;
  wall: number;
  ops: number;
  simEvents: number;
  tasks: number;
}

function measure(bytes: Uint8Array, sched: string, cpus: number, record: boolean, dir: string): Row {
  const sim = new Simulation({ objectBytes: bytes, file: `${sched}.bpf.o`, workload: 'overload', cpus, seed: 1 });
  let events = 0;
  const rec = record ? new TraceRecorder(join(dir, `${sched}-${cpus}.scxtrace`), sim.info, { snapshot: () => sim.snapshot() }) : undefined;
  if (rec) sim.on((ev) => { events++; rec.event(ev); });
  sim.runFor(WARMUP_NS);
  const ops0 = sim.world.core.opCalls;
  const ev0 = sim.world.machine.events;
  const events0 = events;
  const span = cpus >= 64 ? 5_000_000_000 : 30_000_000_000;
  const t0 = performance.now();
  sim.runFor(span);
  const wall = (performance.now() - t0) / 1000;
  rec?.close();
  return {
    span,
    wall,
    ops: sim.world.core.opCalls - ops0,
    simEvents: record ? events - events0 : sim.world.machine.events - ev0,
    tasks: sim.world.core.tasks.size,
  };
}

function objectBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`../assets/schedulers/${name}.bpf.o`, import.meta.url))));
}

export async function benchSim(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'scxray-bench-'));
  try {
    console.log('  sched  cpus tasks record  simulated   wall     speed-up   ops/s      events/s');
    for (const sched of SCHEDULERS) {
      const bytes = objectBytes(sched);
      for (const cpus of CPUS) {
        for (const record of [false, true]) {
          // The median of REPEATS runs; each warms up (JIT compile, V8 tiering,
          // first enqueues) before measuring a virtual span long enough that
          // one-off costs do not dominate.
          const rows = [];
          for (let i = 0; i < REPEATS; i++) rows.push(measure(bytes, sched, cpus, record, dir));
          rows.sort((a, b) => a.wall - b.wall);
          const { span, wall, ops, simEvents, tasks } = rows[Math.floor(rows.length / 2)]!;
          console.log(
            `  ${sched.padEnd(6)} ${String(cpus).padStart(4)} ${String(tasks).padStart(5)} ${(record ? 'on' : 'off').padEnd(6)} ${(span / 1e9).toFixed(2).padStart(7)}s ${wall.toFixed(3).padStart(7)}s ${(span / 1e9 / wall).toFixed(0).padStart(8)}x ${(ops / wall).toFixed(0).padStart(9)} ${(simEvents / wall).toFixed(0).padStart(11)}`,
          );
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchSim();

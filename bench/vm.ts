// VM throughput: the four programs of /work/shared/bench/progs in both
// engines, against the same programs' C sources compiled natively with
// clang-19 -O2 and timed in the same run (bench/native.ts), plus a
// memory-heavy loop over a map-value region and struct_ops call overhead.
//
// The JIT is measured in fresh child processes (JIT_PROCESSES of them), each
// after JIT_WARMUP untimed runs: V8 compiles a benchmark's one long first
// call through on-stack replacement (OSR), and whether a process then runs
// every later call in the full-function TurboFan code or keeps entering the
// slower OSR code (when the full-function code deoptimizes on a path that
// only ran in OSR code) is decided by compile timing, so one process alone
// can land in either mode (about 2x apart on calls, 1.3x on arith; with
// --no-use-osr every process lands in the fast mode). The table shows the
// best and worst process.
//
// Run alone: node --import tsx bench/vm.ts

import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeKernelEnv, openObject, type KernelEnv } from '../src/sched_ext/loader/index';
import { loadKernelBtfFromObject } from '../src/sched_ext/loader/kernel_btf';
import { assemble } from '../src/sched_ext/asm/assembler';
import { createVm, type BpfVm, type EngineKind, type NativeEnv, type NativeTable, type ProgramImage } from '../src/sched_ext/vm/index';
import { buildNative, runNative, type NativeBuild } from './native';

const PROGS = '/work/shared/bench/progs';
const KERNEL_OBJ = new URL('../assets/kernel/kernel.bpf.o', import.meta.url);

/**
 * Facts of the programs and their input buffer (/work/shared/bench/README.md):
 * r0, and the dynamic instruction count with lddw, call and exit counted as
 * one each (hand-checked from the disassembly for arith, memloop and calls).
 */
const EXPECTED: Record<string, { insns: number; r0: bigint }> = {
  arith: { insns: 23_000_009, r0: 0xb7179ae79ea6c389n },
  memloop: { insns: 7_176_012, r0: 0x7d69434a653dba29n },
  calls: { insns: 16_000_004, r0: 0x7791de055550b4dan },
  branchy: { insns: 19_673_359, r0: 0xb2664671979c6abcn },
};
const PROGRAMS = Object.keys(EXPECTED);
const JIT_PROCESSES = 3;
const JIT_WARMUP = 30;
const TIMED_RUNS = 15;

const NO_NATIVES: NativeTable = { helper: () => undefined, kfunc: () => undefined };

let kernel: KernelEnv | undefined;

/** Load a bench object with the loader (links `.text` into `bench` like libbpf) and take its one program. */
export function loadBenchProgram(name: string, bytes: Uint8Array): ProgramImage {
  kernel ??= makeKernelEnv(loadKernelBtfFromObject(new Uint8Array(readFileSync(KERNEL_OBJ))));
  const obj = openObject(bytes, { file: `${name}.bpf.o`, kernel });
  const prog = obj.programs.find((p) => p.name === name);
  if (prog === undefined) throw new Error(`${name}.bpf.o has no program ${name}`);
  return prog.image;
}

function inputBuffer(): Uint8Array {
  const b = new Uint8Array(4096);
  const v = new DataView(b.buffer);
  for (let i = 0; i < 1024; i++) v.setUint32(i * 4, i * 16 + (i & 7), true);
  return b;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Measured {
  /** Wall ms of each timed run. */
  times: number[];
  /** CPU ms of each timed run (process.cpuUsage: leaves out waiting for a CPU on a loaded machine). */
  cpu: number[];
  /** Wall ms of the untimed warm-up runs, in order. */
  warmup: number[];
  insns: number;
  r0: bigint;
}

function measure(engine: EngineKind, image: ProgramImage, warmup: number, runs: number): Measured {
  const vm = createVm({ engine, natives: NO_NATIVES, budget: 1e9 });
  const prog = vm.load(image);
  const region = vm.space.alloc('scratch', 'bench input', 4096);
  const input = inputBuffer();
  const args = [vm.space.pointer(region, 0), 4096n];
  const times: number[] = [];
  const cpu: number[] = [];
  const warm: number[] = [];
  let r0: bigint | undefined;
  for (let i = 0; i < warmup + runs; i++) {
    region.bytes.set(input); // memloop writes to it: restore outside the timed section
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = vm.call(prog, args);
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    if (i >= warmup) cpu.push((c.user + c.system) / 1000);
    if (r0 !== undefined && r !== r0) throw new Error(`${image.name} (${engine}) returned 0x${r0.toString(16)}, then 0x${r.toString(16)}`);
    r0 = r;
    (i < warmup ? warm : times).push(t1 - t0);
  }
  return { times, cpu, warmup: warm, insns: vm.lastInsnCount, r0: r0! };
}

/** A loop of 8-byte loads and stores over a 4 KiB map-value region (sched_ext's per-CPU/task contexts). */
function mapValueLoop(): ProgramImage {
  const insns = assemble(`
    mov %r0, 0
    mov %r3, 2000
  outer:
    mov %r2, 0
  inner:
    mov %r4, %r1
    add %r4, %r2
    ldxdw %r5, [%r4+0]
    add %r5, %r2
    xor %r0, %r5
    stxdw [%r4+0], %r5
    ldxw %r6, [%r4+8]
    add %r0, %r6
    add %r2, 16
    jlt %r2, 4080, inner
    sub %r3, 1
    jne %r3, 0, outer
    exit`);
  return { name: 'mapvalue_loop', section: 'bench', insns, lineInfo: [], funcInfo: [], poisoned: new Map(), sleepable: false };
}

function measureMapValue(engine: EngineKind, runs: number): Measured {
  const vm = createVm({ engine, natives: NO_NATIVES, budget: 1e9 });
  const prog = vm.load(mapValueLoop());
  const value = vm.space.alloc('map_value', 'bench_map[0]', 4096);
  const times: number[] = [];
  let r0 = 0n;
  const warm: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i <= runs; i++) {
    value.bytes.fill(0);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    r0 = vm.call(prog, [vm.space.pointer(value, 0)]);
    (i > 0 ? times : warm).push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    if (i > 0) cpu.push((c.user + c.system) / 1000);
  }
  return { times, cpu, warmup: warm, insns: vm.lastInsnCount, r0 };
}

interface OpStats {
  name: string;
  calls: number;
  insnsPerCall: number;
  medianUs: number;
}

/**
 * The hottest op of an example scheduler in a real simulation: rbtree.bpf.o
 * under the `overload` workload on 4 CPUs, every struct_ops call timed. The
 * per-call time includes the kfuncs it calls (rbtree insertion, DSQ inserts),
 * which is what the simulator pays per op.
 */
async function measureSchedulerOp(engine: EngineKind): Promise<OpStats> {
  const { Simulation } = await import('../src/sim/simulation');
  const file = 'rbtree.bpf.o';
  const sim = new Simulation({
    objectBytes: new Uint8Array(readFileSync(new URL(`../assets/schedulers/${file}`, import.meta.url))),
    file, workload: 'overload', cpus: 4, seed: 1, engine,
  });
  const runtime = sim.runtime;
  const callProgram = runtime.callProgram.bind(runtime);
  const stats = new Map<string, { insns: number; times: number[] }>();
  runtime.callProgram = (name, args) => {
    const t0 = process.hrtime.bigint();
    const r = callProgram(name, args);
    const dt = Number(process.hrtime.bigint() - t0);
    let s = stats.get(name);
    if (s === undefined) stats.set(name, (s = { insns: 0, times: [] }));
    s.insns += r.insns;
    s.times.push(dt);
    return r;
  };
  sim.runFor(30e9);
  const [name, s] = [...stats].sort((a, b) => b[1].insns - a[1].insns)[0]!;
  const warm = s.times.slice(Math.floor(s.times.length / 10)); // drop the first tenth: compilation and warm-up
  return { name, calls: s.times.length, insnsPerCall: s.insns / s.times.length, medianUs: median(warm) / 1000 };
}

// ---- struct_ops call overhead ------------------------------------------
// Struct_ops programs run 20-160 instructions, so what a call costs besides
// the instructions matters: the ctx[] region, setting up r1..r10, converting
// the result. Three measurements, each in both engines:
//  - a 4-instruction program (r0 = ctx[0] + ctx[1]) called through
//    callWithCtx, and through the halves fast path when the VM has one;
//  - rbtree-style callbacks: one call of a native that calls a 4-instruction
//    `less` through NativeEnv.callback CALLBACKS times (ns per callback);
//  - the real schedulers (vtime, rbtree) on 16 CPUs under `overload` through
//    the simulator and BpfRuntime: wall ns per struct_ops op call.

const CALLBACKS = 64;

function ctxSumImage(): ProgramImage {
  const insns = assemble(`
    ldxdw %r0, [%r1+0]
    ldxdw %r2, [%r1+8]
    add %r0, %r2
    exit`);
  return { name: 'ctx_sum', section: 'struct_ops/bench', insns, lineInfo: [], funcInfo: [], poisoned: new Map(), sleepable: false };
}

function callbackImage(): ProgramImage {
  // slot 0-1: lddw r1 = less (patched below to BPF_PSEUDO_FUNC: target = 0 + imm + 1 = slot 6)
  const insns = assemble(`
    lddw %r1, 0
    mov %r6, 0
    call 10
    add %r0, %r6
    exit
  less:
    mov %r0, 0
    jge %r1, %r2, out
    mov %r0, 1
  out:
    exit`);
  insns[1] = (insns[1]! & 0x0f) | (4 << 4); // src = BPF_PSEUDO_FUNC
  new DataView(insns.buffer, insns.byteOffset).setInt32(4, 5, true);
  return { name: 'cb_loop', section: 'struct_ops/bench', insns, lineInfo: [], funcInfo: [], poisoned: new Map(), sleepable: false };
}

type HalvesVm = BpfVm & { callWithCtxHalves?(prog: unknown, n: number, lo: ArrayLike<number>, hi: ArrayLike<number>): number };

/** ns per call, medians: by the process's CPU clock (what the code costs) and by the wall clock (which on a loaded machine also counts waiting for a CPU). */
interface PerCall {
  cpu: number;
  wall: number;
}

function nsPerCall(fn: () => void, calls: number, reps = 5): PerCall {
  fn(); // warm up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(((performance.now() - t0) * 1e6) / calls);
    const c = process.cpuUsage(c0);
    cpu.push(((c.user + c.system) * 1e3) / calls);
  }
  return { cpu: median(cpu), wall: median(wall) };
}

interface CallOverhead {
  engine: EngineKind;
  ctx: PerCall;
  halves: PerCall | undefined;
  callback: PerCall;
}

function measureCallOverhead(engine: EngineKind, n: number): CallOverhead {
  const vm = createVm({ engine, natives: NO_NATIVES }) as HalvesVm;
  const prog = vm.load(ctxSumImage());
  const args = [0x1_0000_0005n, 37n];
  let sink = 0n;
  const ctx = nsPerCall(() => {
    for (let i = 0; i < n; i++) sink += vm.callWithCtx(prog, args);
  }, n);
  if (sink === 0n) throw new Error('ctx_sum returned 0');
  let halves: PerCall | undefined;
  if (vm.callWithCtxHalves !== undefined) {
    const lo = [5, 37], hi = [1, 0];
    let s = 0;
    halves = nsPerCall(() => {
      for (let i = 0; i < n; i++) s += vm.callWithCtxHalves!(prog, 2, lo, hi);
    }, n);
    if (s === 0) throw new Error('ctx_sum returned 0');
  }
  const natives: NativeTable = {
    helper: (id) => (id === 10 ? {
      name: 'cb_loop',
      fn: (env: NativeEnv) => {
        const fn = env.arg(1);
        const cbArgs = [0n, 0n];
        let r = 0n;
        for (let i = 0; i < CALLBACKS; i++) {
          cbArgs[0] = BigInt(i);
          cbArgs[1] = 32n;
          r += env.callback(fn, cbArgs);
        }
        return r;
      },
    } : undefined),
    kfunc: () => undefined,
  };
  const cbVm = createVm({ engine, natives });
  const cbProg = cbVm.load(callbackImage());
  const calls = Math.max(1, Math.floor(n / CALLBACKS));
  let r = 0n;
  const callback = nsPerCall(() => {
    for (let i = 0; i < calls; i++) r = cbVm.call(cbProg, []);
  }, calls * CALLBACKS);
  if (r !== 32n) throw new Error(`cb_loop returned ${r}`);
  return { engine, ctx, halves, callback };
}

interface SchedOverhead {
  sched: string;
  engine: EngineKind;
  calls: number;
  insnsPerCall: number;
  nsPerOp: number;
  cpuNsPerOp: number;
}

async function measureSchedulerCalls(sched: string, engine: EngineKind, spanNs: number): Promise<SchedOverhead> {
  const { Simulation } = await import('../src/sim/simulation');
  const file = `${sched}.bpf.o`;
  const sim = new Simulation({
    objectBytes: new Uint8Array(readFileSync(new URL(`../assets/schedulers/${file}`, import.meta.url))),
    file, workload: 'overload', cpus: 16, seed: 1, engine,
  });
  sim.runFor(3_000_000_000); // warm up: compile, first enqueues, V8 tiering
  const core = sim.world.core;
  const ops0 = core.opCalls, insns0 = core.insns;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  sim.runFor(spanNs);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const calls = core.opCalls - ops0;
  return { sched, engine, calls, insnsPerCall: (core.insns - insns0) / calls, nsPerOp: (wall * 1e6) / calls, cpuNsPerOp: ((c.user + c.system) * 1e3) / calls };
}

export async function benchCallOverhead(opts: { n?: number; spanNs?: number } = {}): Promise<void> {
  const n = opts.n ?? 200_000;
  const spanNs = opts.spanNs ?? 20_000_000_000;
  process.stdout.write(`\nstruct_ops call overhead (ns per call, median of 5, CPU / wall; goal: callWithCtx <= 50 ns; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')})\n`);
  process.stdout.write('  engine  callWithCtx CPU / wall  halves fast path  callback (rbtree less)\n');
  const both = (p: PerCall | undefined): string => (p === undefined ? 'n/a' : `${fmt(p.cpu, 1)} / ${fmt(p.wall, 1)}`);
  for (const engine of ['jit', 'interp'] as const) {
    const m = measureCallOverhead(engine, n);
    process.stdout.write(`  ${engine.padEnd(6)}  ${both(m.ctx).padStart(22)}  ${both(m.halves).padStart(16)}  ${both(m.callback).padStart(22)}\n`);
  }
  process.stdout.write(`  simulator, 16 CPUs, overload, ${spanNs / 1e9}s simulated: ns per op call, CPU / wall (includes kfuncs and the simulator)\n`);
  for (const sched of ['vtime', 'rbtree']) {
    for (const engine of ['jit', 'interp'] as const) {
      const s = await measureSchedulerCalls(sched, engine, spanNs);
      process.stdout.write(`  ${sched.padEnd(6)} ${engine.padEnd(6)} ${fmt(s.calls).padStart(9)} calls × ${fmt(s.insnsPerCall, 1).padStart(5)} insns  ${`${fmt(s.cpuNsPerOp, 0)} / ${fmt(s.nsPerOp, 0)}`.padStart(15)} ns/op\n`);
    }
  }
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** One JIT process's results per program (the child side of measureJitInChild). */
interface JitChildResult {
  name: string;
  times: number[];
  cpu: number[];
  warmup: number[];
  insns: number;
  r0: string;
}

function jitChild(): void {
  const out: JitChildResult[] = [];
  for (const name of PROGRAMS) {
    const image = loadBenchProgram(name, new Uint8Array(readFileSync(join(PROGS, `${name}.bpf.o`))));
    const m = measure('jit', image, JIT_WARMUP, TIMED_RUNS);
    out.push({ name, times: m.times, cpu: m.cpu, warmup: m.warmup, insns: m.insns, r0: `0x${m.r0.toString(16)}` });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

/** Every program in the JIT, in a fresh node process (see the file comment). */
function measureJitInChild(): Map<string, Measured> {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, 'jit-child'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench/vm.ts jit-child exited with ${r.status}: ${r.stderr.trim().slice(0, 500)}`);
  const parsed = JSON.parse(r.stdout.trim().split('\n').pop()!) as JitChildResult[];
  return new Map(parsed.map((x) => [x.name, { times: x.times, cpu: x.cpu, warmup: x.warmup, insns: x.insns, r0: BigInt(x.r0) }]));
}


export async function benchVm(): Promise<void> {
  const native: NativeBuild = buildNative(PROGS, PROGRAMS);
  // Native, JIT and interpreter interleaved: each JIT process sits between two native rounds.
  const nativeRuns = new Map<string, { wall: number[]; cpu: number[] }>(PROGRAMS.map((p) => [p, { wall: [], cpu: [] }]));
  const nativeR0 = new Map<string, bigint>();
  const jitRuns: Map<string, Measured>[] = [];
  const nativeRound = (): void => {
    for (const name of PROGRAMS) {
      const n = runNative(native, name, 5, TIMED_RUNS);
      nativeRuns.get(name)!.wall.push(...n.ms);
      nativeRuns.get(name)!.cpu.push(...n.cpuMs);
      nativeR0.set(name, n.r0);
    }
  };
  try {
    nativeRound();
    for (let p = 0; p < JIT_PROCESSES; p++) {
      jitRuns.push(measureJitInChild());
      nativeRound();
    }
  } finally {
    native.dispose();
  }
  const rows: string[][] = [['program', 'dyn insns', 'engine', 'CPU ms (median)', 'wall ms (median)', 'M insns/CPU s', '÷ native (CPU)', '÷ native (wall)', 'r0']];
  const summary: string[] = [];
  const check = (name: string, insns: number, r0: bigint): [string, string] => {
    const ref = EXPECTED[name]!;
    return [fmt(insns) + (insns === ref.insns ? ' ok' : ` WRONG (expected ${fmt(ref.insns)})`), r0 === ref.r0 ? 'ok' : `WRONG: 0x${r0.toString(16)}`];
  };
  const row = (name: string, insns: string, engine: string, m: { cpu: number[]; times: number[] }, n: number, nat: { cpu: number; wall: number }, r0: string): string[] => {
    const cpu = median(m.cpu), wall = median(m.times);
    return [name, insns, engine, fmt(cpu, 2), fmt(wall, 2), fmt(n / cpu / 1000, 0), `${fmt(nat.cpu / cpu, 3)}×`, `${fmt(nat.wall / wall, 3)}×`, r0];
  };
  for (const name of PROGRAMS) {
    const image = loadBenchProgram(name, new Uint8Array(readFileSync(join(PROGS, `${name}.bpf.o`))));
    const natRuns = nativeRuns.get(name)!;
    const nat = { cpu: median(natRuns.cpu), wall: median(natRuns.wall) };
    const nr0 = nativeR0.get(name)!;
    rows.push([name, '(C, clang-19 -O2)', 'native', fmt(nat.cpu, 2), fmt(nat.wall, 2), fmt(EXPECTED[name]!.insns / nat.cpu / 1000, 0), '1', '1', nr0 === EXPECTED[name]!.r0 ? 'ok' : `WRONG: 0x${nr0.toString(16)}`]);
    // JIT: each process's median CPU time; the table shows the fastest and the slowest process.
    const procs = jitRuns.map((m) => m.get(name)!).map((m) => ({ m, med: median(m.cpu) })).sort((a, b) => a.med - b.med);
    for (const [label, { m }] of [['jit (fastest process)', procs[0]!], ['jit (slowest process)', procs[procs.length - 1]!]] as const) {
      const [insns, r0] = check(name, m.insns, m.r0);
      rows.push(row(name, insns, label, m, m.insns, nat, r0));
    }
    const interp = measure('interp', image, 1, 3);
    const [insns, r0] = check(name, interp.insns, interp.r0);
    rows.push(row(name, insns, 'interp', interp, interp.insns, nat, r0));
    const first = procs.map(({ m }) => `${fmt(m.warmup[0]! / median(m.times), 1)}×`).join('/');
    const spread = procs.map(({ med }) => fmt(med, 1)).join(', ');
    summary.push(`  ${name.padEnd(8)} JIT process medians ${spread} CPU ms; first run ${first} the process's wall median; JIT ÷ native ${fmt(nat.cpu / procs[0]!.med, 3)}× (fastest process, CPU), interp ÷ native ${fmt(nat.cpu / median(interp.cpu), 3)}×`);
  }
  for (const engine of ['jit', 'interp'] as const) {
    const m = measureMapValue(engine, engine === 'jit' ? 9 : 3);
    rows.push(['map value loop', fmt(m.insns), engine, fmt(median(m.cpu), 2), fmt(median(m.times), 2), fmt(m.insns / median(m.cpu) / 1000, 0), '', '', '']);
  }
  for (const engine of ['jit', 'interp'] as const) {
    try {
      const op = await measureSchedulerOp(engine);
      rows.push([`hottest op: ${op.name}`, `${fmt(op.calls)} calls × ${fmt(op.insnsPerCall, 1)}`, engine, `${fmt(op.medianUs, 2)} µs/call`, '', '', '', '', '']);
    } catch (e) {
      rows.push(['hottest op', 'unavailable', engine, e instanceof Error ? e.message.split('\n')[0]! : String(e), '', '', '', '', '']);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  process.stdout.write(`\nVM throughput against native code built and timed in this run (memory checks on; ${JIT_PROCESSES} JIT processes × ${JIT_WARMUP} warm-up + ${TIMED_RUNS} timed runs; native ${(JIT_PROCESSES + 1) * TIMED_RUNS} timed runs; ÷ native = native time / engine time, from CPU time (process CPU clock, so waiting for a CPU on a loaded machine does not count) and from wall time)\n`);
  for (const r of rows) process.stdout.write(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ') + '\n');
  process.stdout.write(summary.join('\n') + '\n');
  // Program entry (goal: a struct_ops call with its context <= 50 ns).
  await benchCallOverhead({ spanNs: 5_000_000_000 });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `node --import tsx bench/vm.ts calls` runs only the struct_ops call overhead section.
  if (process.argv[2] === 'calls') await benchCallOverhead();
  else if (process.argv[2] === 'jit-child') jitChild();
  else await benchVm();
}

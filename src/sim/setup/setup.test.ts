// Setup modules (the scheduler's userspace half) on clang-built fixtures in
// test/bpf/setup/: rodata arrays/structs and a map's max_entries set before
// load, a SEC("syscall") program run with a context after load, an
// ARRAY_OF_MAPS populated after load, a userspace scheduler whose userTask
// dispatches what the BPF side queued, every(1000) in virtual time — and bad
// modules, which fail with the module's file and line and lose nothing.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimEvent } from '../../model/events';
import { bpfFixtureBytes } from '../../../test/support/bpf';
import { exampleScheduler, REPO_ROOT } from '../testing/fixtures';
import { Simulation, type SimulationOptions } from '../simulation';
import { compileSetupModule, loadSetupModule, SetupError } from './module';
import { ArrayMap } from '../../sched_ext/runtime/maps/array';
import { SETUP_EVERY_PROGRAM, SETUP_PROGRAM, SetupRun } from './setup_run';
import { openObject } from '../../sched_ext/loader/index';
import { createKernelEnv, DEFAULT_KERNEL_VERSION } from '../kernel/kernel_env';

const SEC = 1_000_000_000;
const fixture = (name: string) => bpfFixtureBytes(`test/bpf/setup/${name}.bpf.c`);
const setupFile = (name: string) => join(REPO_ROOT, 'test/bpf/setup', `${name}.setup.mjs`);

function sim(name: string, extra: Partial<SimulationOptions> = {}): Simulation {
  return new Simulation({ objectBytes: fixture(name), file: `${name}.bpf.o`, workload: 'cpu-hogs', cpus: 4, seed: 1, ...extra });
}

/** A .bss/.data variable's bytes as the BPF side left them. */
function globalBytes(s: Simulation, name: string): DataView {
  const g = s.object.globals.find((x) => x.name === name)!;
  const m = s.runtime.maps[g.mapIndex] as ArrayMap;
  const b = m.cell(0, 0)!.region.bytes;
  return new DataView(b.buffer, b.byteOffset + g.offset, g.size);
}

function collect(s: Simulation): SimEvent[] {
  const evs: SimEvent[] = [];
  s.on((e) => {
    if (e.kind === 'printk' || e.kind === 'exit' || e.kind === 'task_new') evs.push(e);
  });
  return evs;
}

const printed = (evs: SimEvent[], program = SETUP_PROGRAM) => evs.flatMap((e) => (e.kind === 'printk' && e.program === program ? [{ t: e.t, text: e.text }] : []));

describe('setup module: before load', () => {
  it('fills a rodata array and struct and sizes a map: ops.init reads them (knobs)', () => {
    const s = sim('knobs', { setup: setupFile('knobs') });
    s.runFor(10_000_000);
    expect(s.ejected).toBe(false);
    // ops.init copied pair_cpu[] (set to i ^ 1 for 4 CPUs) and cfg.slice_ns into .bss
    const seen = globalBytes(s, 'seen_pair');
    expect([0, 1, 2, 3, 4].map((i) => seen.getInt32(i * 4, true))).toEqual([1, 0, 3, 2, 0]);
    expect(globalBytes(s, 'seen_slice_ns').getBigUint64(0, true)).toBe(5_000_000n);
    expect(globalBytes(s, 'seen_pairs').getUint32(0, true)).toBe(2);
    expect(s.runtime.mapByName('pair_ctx')!.spec.maxEntries).toBe(2);
    // the char[] member went in as a C string
    const cfg = s.object.globals.find((g) => g.name === 'cfg')!;
    const ro = (s.runtime.maps[cfg.mapIndex] as ArrayMap).cell(0, 0)!.region.bytes;
    expect(new TextDecoder().decode(ro.subarray(cfg.offset + 12, cfg.offset + 19))).toBe('paired\0');
  });

  it('without the setup, nr_cpu_ids = 4 alone fails ops.init: max_entries is what made it pass', () => {
    const s = sim('knobs', { globalSets: [{ item: 'nr_cpu_ids=4', name: 'nr_cpu_ids', path: [], value: '4' }] });
    s.runFor(10_000_000);
    expect(s.ejected).toBe(true);
    expect(s.summary().exit.message).toMatch(/pair_ctx has no entry 1/);
  });

  it('records the module in RunInfo (file and sha256 of its source)', () => {
    const s = sim('knobs', { setup: setupFile('knobs') });
    const src = readFileSync(setupFile('knobs'), 'utf8');
    expect(s.info.setup).toEqual({ file: 'knobs.setup.mjs', sha256: compileSetupModule(src, 'knobs.setup.mjs').sha256 });
    expect(s.info.setup!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('setup module: after load', () => {
  it('runs a SEC("syscall") program with a context: r0 and the context written back', () => {
    const s = sim('knobs', { setup: setupFile('knobs') });
    const evs = collect(s);
    s.runFor(1_000_000);
    const lines = printed(evs).map((l) => l.text);
    // cookie = 0xfeed0000 + cpu, written into the context by the program
    expect(lines).toContain(`primary 0 retval 0 cookie ${0xfeed0000}`);
    expect(lines).toContain(`primary 2 retval 0 cookie ${0xfeed0002}`);
    expect(lines).toContain('primary 99 retval -22');
    expect(globalBytes(s, 'primary_mask').getBigUint64(0, true)).toBe(0b101n);
    expect(globalBytes(s, 'nr_primary_set').getBigUint64(0, true)).toBe(2n);
  });

  it('creates an inner map from an ARRAY_OF_MAPS template and inserts it; BPF reads through it', () => {
    const s = sim('inner_maps', { setup: setupFile('inner_maps') });
    const evs = collect(s);
    s.runFor(50_000_000);
    expect(s.ejected).toBe(false);
    expect(globalBytes(s, 'used_slice_ns').getBigUint64(0, true)).toBe(2_000_000n);
    expect(printed(evs).map((l) => l.text)).toEqual(['slot 0 slices 2000000']);
    const without = sim('inner_maps');
    without.runFor(10_000_000);
    expect(without.ejected).toBe(true);
    expect(without.summary().exit.message).toMatch(/slices\[0\] has no inner map/);
  });
});

describe('setup module: after attach, in virtual time', () => {
  it('every(1000) runs at 1 s, 2 s, 3 s, with a setup:every marker before each round', () => {
    const s = sim('knobs', { setup: setupFile('knobs') });
    const evs = collect(s);
    s.runUntil(3 * SEC + 500_000_000);
    const marks = printed(evs, SETUP_EVERY_PROGRAM);
    expect(marks.map((m) => m.t)).toEqual([1 * SEC, 2 * SEC, 3 * SEC]);
    expect(marks.map((m) => m.text)).toEqual(['every(1000ms) #1', 'every(1000ms) #2', 'every(1000ms) #3']);
    const stats = printed(evs).filter((l) => l.text.startsWith('enqueued'));
    expect(stats.map((l) => l.t)).toEqual([1 * SEC, 2 * SEC, 3 * SEC]);
    // the counter the callback read grows, and matches the .bss the BPF side wrote at that instant
    const counts = stats.map((l) => Number(/enqueued (\d+)/.exec(l.text)![1]));
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(counts[0]!);
    expect(counts[2]).toBeGreaterThan(counts[1]!);
    expect(s.setup!.log.filter((l) => l.text.startsWith('enqueued')).map((l) => l.t)).toEqual([1 * SEC, 2 * SEC, 3 * SEC]);
  });

  it('a userspace scheduler: the userTask pops what BPF queued and dispatches it back; every task runs, no stall', () => {
    const s = new Simulation({ objectBytes: fixture('userland'), file: 'userland.bpf.o', workload: 'interactive', cpus: 4, seed: 2, setup: setupFile('userland') });
    const evs = collect(s);
    s.runFor(SEC);
    const sum = s.summary();
    expect(sum.exit.ejected).toBe(false);
    expect(sum.diagnostics.filter((d) => d.kind === 'stall')).toEqual([]);
    // the user task is pid 1, as promised to the BPF side before load
    const first = evs.find((e) => e.kind === 'task_new');
    expect(first).toMatchObject({ pid: 1, comm: 'usersched' });
    for (const t of sum.tasks) expect(t.runs, `${t.comm} (pid ${t.pid}) never ran`).toBeGreaterThan(0);
    const enq = globalBytes(s, 'nr_user_enqueues').getBigUint64(0, true);
    const disp = globalBytes(s, 'nr_user_dispatches').getBigUint64(0, true);
    expect(enq).toBeGreaterThan(100n);
    // everything queued to user space came back, except what the last round has not handled yet
    expect(enq - disp).toBeLessThanOrEqual(BigInt(sum.tasks.length));
    expect(globalBytes(s, 'nr_lost').getBigUint64(0, true)).toBe(0n);
    expect(sum.tasks.find((t) => t.pid === 1)!.runtimeNs).toBeGreaterThan(0);
  });

  it('without the userTask the BPF side refuses to start (usersched_pid unset)', () => {
    const s = new Simulation({ objectBytes: fixture('userland'), file: 'userland.bpf.o', workload: 'interactive', cpus: 4, seed: 2 });
    s.runFor(10_000_000);
    expect(s.ejected).toBe(true);
    expect(s.summary().exit.message).toMatch(/usersched_pid is not set/);
  });
});

/** A knobs run with an inline module; returns the thrown SetupError (or undefined). */
function failing(source: string, file = 'bad.mjs', budgetMs?: number): SetupError {
  try {
    const s = sim('knobs', { setup: compileSetupModule(source, file), ...(budgetMs ? { setupBudgetMs: budgetMs } : {}) });
    s.runFor(1_000_000);
  } catch (e) {
    if (e instanceof SetupError) return e;
    throw e;
  }
  throw new Error('the module did not fail');
}

describe('bad setup modules: clear errors with the line, nothing lost', () => {
  it('a throw names the file, line and phase', () => {
    const e = failing(['export function beforeLoad(skel) {', '  const n = skel.nrCpus;', "  throw new Error('no topology for ' + n);", '}'].join('\n'));
    expect(e.message).toBe('bad.mjs:3: beforeLoad(skel): no topology for 4');
    expect(e.line).toBe(3);
  });

  it('a wrong type for a u32 names the variable, its type and the line', () => {
    const e = failing(['export function beforeLoad(skel) {', '', "  skel.rodata.nr_cpu_ids = 'four';", '}'].join('\n'));
    expect(e.message).toMatch(/^bad\.mjs:3: beforeLoad\(skel\): skel\.rodata\.nr_cpu_ids: u32 takes a number, not the string "four"$/);
  });

  it('an index out of bounds names the array and its bounds', () => {
    const e = failing(['export function beforeLoad(skel) {', '  for (let i = 0; i <= 8; i++)', '    skel.rodata.pair_cpu[i] = i;', '}'].join('\n'));
    expect(e.message).toMatch(/^bad\.mjs:3: .*skel\.rodata\.pair_cpu\[8\]: index 8 is out of bounds \(skel\.rodata\.pair_cpu is s32\[8\], indexes 0 to 7\)/);
  });

  it('a value out of range is refused, never wrapped', () => {
    const e = failing('export function beforeLoad(skel) {\n  skel.rodata.cfg.slice_ns = 2n ** 64n;\n}');
    expect(e.message).toMatch(/^bad\.mjs:2: .*18446744073709551616 is out of range: skel\.rodata\.cfg\.slice_ns is a u64 \(0 to 18446744073709551615\)/);
  });

  it('an endless loop is stopped by the budget', () => {
    const t0 = Date.now();
    const e = failing('export function afterLoad(skel) {\n  for (;;) {}\n}', 'loop.mjs', 150);
    expect(e.message).toBe('loop.mjs: afterLoad(skel) ran past its 150 ms budget (an endless loop?) and was stopped');
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('rodata is read-only after load, like libbpf after bpf_map_freeze', () => {
    const e = failing('export function afterLoad(skel) {\n  skel.rodata.nr_cpu_ids = 2;\n}');
    expect(e.message).toMatch(/^bad\.mjs:2: afterLoad\(skel\): skel\.rodata\.nr_cpu_ids: skel\.rodata is read-only after load/);
  });

  it('maps do not exist before load; setMaxEntries only before it', () => {
    expect(failing('export function beforeLoad(skel) {\n  skel.maps.pair_ctx.lookup(0);\n}').message).toMatch(/^bad\.mjs:2: .*the map does not exist before load/);
    expect(failing('export function afterLoad(skel) {\n  skel.maps.pair_ctx.setMaxEntries(4);\n}').message).toMatch(/^bad\.mjs:2: .*can only be called before load/);
  });

  it('no require, process, fs or eval inside the module', () => {
    expect(failing("import { readFileSync } from 'node:fs';\nexport function beforeLoad() { readFileSync('/etc/passwd'); }").message).toMatch(/setup modules cannot import or require \(node:fs\)/);
    expect(failing('export function beforeLoad() {\n  process.exit(1);\n}').message).toMatch(/^bad\.mjs:2: beforeLoad\(skel\): ReferenceError: process is not defined$/);
    expect(failing('export function beforeLoad() {\n  eval("1");\n}').message).toMatch(/^bad\.mjs:2: .*EvalError: Code generation from strings disallowed/);
  });

  it('TypeScript modules compile, and errors point at the .ts lines', () => {
    const e = failing(['interface Skel { rodata: { pair_cpu: number[] } }', '', 'export function beforeLoad(skel: Skel): void {', '  const cpus: number[] = [1, 2];', '  skel.rodata.pair_cpu[-1] = cpus[0]!;', '}'].join('\n'), 'typed.ts');
    expect(e.message).toMatch(/^typed\.ts:5: .*index -1 is out of bounds/);
  });

  it('a syntax error names its line', () => {
    expect(() => compileSetupModule('export function beforeLoad(skel) {\n  skel.rodata.x = ;\n}', 'syn.mjs')).toThrow(/^syn\.mjs:2: /);
  });

  it('a module file that cannot be read is a SetupError', () => {
    expect(() => loadSetupModule('/nonexistent/setup.mjs')).toThrow(/cannot read setup module \/nonexistent\/setup\.mjs/);
  });

  it('a callback failing after attach unregisters the scheduler with the message; the run and its events go on', () => {
    const src = ['export function afterAttach(skel) {', '  skel.every(100, ({ round }) => {', "    if (round === 3) throw new Error('stats file gone');", "    print('round', round);", '  });', '}'].join('\n');
    const s = sim('knobs', { setup: compileSetupModule(src, 'stats.mjs') });
    const evs = collect(s);
    s.runUntil(SEC);
    expect(printed(evs).map((l) => `${l.t} ${l.text}`)).toEqual([
      `${100_000_000} round 1`,
      `${200_000_000} round 2`,
      `${300_000_000} error: stats.mjs:3: every(100ms) callback #3: stats file gone`,
    ]);
    const exit = s.summary().exit;
    expect(exit).toMatchObject({ kind: 'SCX_EXIT_UNREG', ejected: true });
    expect(exit.message).toBe('the setup module failed: stats.mjs:3: every(100ms) callback #3: stats file gone');
    expect(s.setup!.failure?.line).toBe(3);
    expect(s.now).toBe(SEC);
    // no more rounds after the failure
    expect(printed(evs, SETUP_EVERY_PROGRAM)).toHaveLength(3);
  });

  it('a userTask body that throws ends the task and unregisters the scheduler', () => {
    const src = ['export function beforeLoad(skel) {', "  skel.userTask('worker', ({ now }) => {", "    if (now > 50e6) throw new RangeError('queue corrupt');", '  });', '}'].join('\n');
    const s = sim('knobs', { setup: compileSetupModule(src, 'ut.mjs') });
    s.runUntil(200_000_000);
    expect(s.summary().exit.message).toBe('the setup module failed: ut.mjs:3: userTask worker body: RangeError: queue corrupt');
  });
});

describe('setup module: per-CPU maps and ring buffers', () => {
  it('reads a per-CPU array as one value per CPU and writes each CPU its own', () => {
    const src = [
      'export function afterLoad(skel) {',
      '  skel.maps.cpu_enqueues.update(0, [10n, 20n, 30n, 40n]);',
      "  print('before', skel.maps.cpu_enqueues.lookup(0).join(','));",
      '}',
      'export function afterAttach(skel) {',
      "  skel.every(100, () => print('after', skel.maps.cpu_enqueues.lookup(0).join(','), 'total', skel.bss.nr_enqueued));",
      '}',
    ].join('\n');
    const s = sim('knobs', { setup: compileSetupModule(src, 'percpu.mjs') });
    const evs = collect(s);
    s.runUntil(100_000_000);
    const lines = printed(evs).map((l) => l.text);
    expect(lines[0]).toBe('before 10,20,30,40');
    const m = /^after (\d+),(\d+),(\d+),(\d+) total (\d+)$/.exec(lines[1]!);
    expect(m).not.toBeNull();
    const per = m!.slice(1, 5).map(Number);
    // each CPU's copy started from what the setup wrote and counted that CPU's enqueues
    per.forEach((v, i) => expect(v).toBeGreaterThanOrEqual((i + 1) * 10));
    expect(per.reduce((a, b) => a + b, 0) - 100).toBe(Number(m![5]));
  });

  it('drains the records the BPF side wrote to a ring buffer', () => {
    const src = [
      'export function beforeLoad(skel) {',
      '  skel.rodata.nr_cpu_ids = skel.nrCpus;',
      '  skel.maps.pair_ctx.setMaxEntries(skel.nrCpus / 2);',
      '}',
      'export function afterLoad(skel) {',
      '  for (const cpu of [1, 3]) skel.progs.enable_primary_cpu.testRun({ ctx: { cpu_id: cpu } });',
      '  const n = skel.maps.primary_events.drain((rec) => {',
      '    const v = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);',
      "    print('record', rec.length, 'cpu', v.getInt32(0, true), 'nr_set', v.getUint32(4, true), 'mask', v.getBigUint64(8, true));",
      '  });',
      "  print('drained', n, 'then', skel.maps.primary_events.drain(() => {}));",
      '}',
    ].join('\n');
    const s = sim('knobs', { setup: compileSetupModule(src, 'rb.mjs') });
    const evs = collect(s);
    s.runFor(1_000_000);
    expect(printed(evs).map((l) => l.text)).toEqual(['record 16 cpu 1 nr_set 1 mask 2', 'record 16 cpu 3 nr_set 2 mask 10', 'drained 2 then 0']);
  });

  it('userRingbuf.submit feeds bpf_user_ringbuf_drain in a syscall program (uring), and a record that can never fit is refused', () => {
    const src = [
      'const rec = (pid, cpu) => { const b = new Uint8Array(16); const v = new DataView(b.buffer); v.setBigUint64(0, BigInt(pid), true); v.setBigUint64(8, BigInt(cpu), true); return b; };',
      'export function afterLoad(skel) {',
      '  const codes = [skel.maps.decisions.submit(rec(7, 1)), skel.maps.decisions.submit(rec(11, 2)), skel.maps.decisions.submit(rec(20, 3))];',
      '  const big = skel.maps.decisions.submit(new Uint8Array(8192));',
      '  const r = skel.progs.drain_decisions.testRun({});',
      '  print("submitted", codes.join(","), "big", big, "drained", r.retval, "seen", skel.bss.seen, "pids", skel.bss.pid_sum, "last cpu", skel.bss.last_cpu);',
      '  print("again", skel.progs.drain_decisions.testRun({}).retval);',
      '}',
    ].join('\n');
    const s = sim('uring', { setup: compileSetupModule(src, 'uring.mjs') });
    const evs = collect(s);
    s.runFor(1_000_000);
    expect(printed(evs).map((l) => l.text)).toEqual(['submitted 0,0,0 big -7 drained 3 seen 3 pids 38 last cpu 3', 'again 0']);
  });

  it('a map that is not a user ring buffer refuses submit; maps and programs that do not exist are named', () => {
    expect(failing('export function afterLoad(skel) {\n  skel.maps.primary_events.submit(new Uint8Array(8));\n}').message).toMatch(/^bad\.mjs:2: .*only user ring buffer maps take submit/);
    expect(failing('export function afterLoad(skel) {\n  skel.maps.nope.lookup(0);\n}').message).toMatch(/^bad\.mjs:2: .*skel\.maps\.nope: no map nope; the object has: primary_events, pair_ctx, cpu_enqueues, \.rodata, \.bss, \.data$/);
    expect(failing('export function afterLoad(skel) {\n  skel.progs.knobs_enqueue.testRun({});\n}').message).toMatch(/^bad\.mjs:2: .*knobs_enqueue is a struct_ops\/knobs_enqueue program; only SEC\("syscall"\) programs can be test-run/);
  });
});

describe('example setup modules', () => {
  it('assets/schedulers/qmap.setup.mjs prints scx_qmap-style stats every second, from the live counters', () => {
    const s = new Simulation({ objectBytes: exampleScheduler('qmap'), file: 'qmap.bpf.o', workload: 'interactive', cpus: 4, seed: 1, setup: join(REPO_ROOT, 'assets/schedulers/qmap.setup.mjs') });
    s.runUntil(2 * SEC);
    const stats = s.setup!.log.filter((l) => l.text.startsWith('stats  :'));
    expect(stats.map((l) => l.t)).toEqual([SEC, 2 * SEC]);
    const enq = stats.map((l) => Number(/enq=(\d+)/.exec(l.text)![1]));
    expect(enq[0]).toBeGreaterThan(100);
    expect(enq[1]).toBeGreaterThan(enq[0]!);
    // the rodata the module set is what the BPF side ran with
    const g = s.object.globals.find((x) => x.name === 'slice_ns')!;
    const ro = (s.runtime.maps[g.mapIndex] as ArrayMap).cell(0, 0)!.region.bytes;
    expect(new DataView(ro.buffer, ro.byteOffset + g.offset, 8).getBigUint64(0, true)).toBe(5_000_000n);
  });
});

describe('setup module: machine shape and resizing global data', () => {
  it('skel.topology follows the simulated machine (SMT cores, LLCs, NUMA nodes)', () => {
    const src = [
      'export function beforeLoad(skel) {',
      '  const t = skel.topology;',
      "  print(skel.nrCpus, JSON.stringify(t.cores), JSON.stringify(t.llcs), JSON.stringify(t.nodes), JSON.stringify(t.cpu(5)));",
      '}',
    ].join('\n');
    const s = sim('knobs', { cpus: { cpus: 8, smt: 2, llc: 4, numa: 8 }, setup: compileSetupModule(src, 'topo.mjs') });
    expect(s.setup!.log.map((l) => l.text)).toEqual([
      '8 [[0,1],[2,3],[4,5],[6,7]] [[0,1,2,3],[4,5,6,7]] [[0,1,2,3,4,5,6,7]] {"cpu":5,"core":2,"llc":1,"node":0,"siblings":[4,5]}',
    ]);
  });

  it('resizes a one-element array (RESIZE_ARRAY) and a section by bytes (bpf_map__set_value_size) before load', () => {
    const src = [
      'export function beforeLoad(skel) {',
      "  skel.resize('started_at', 4);",
      '  skel.data.started_at[3] = 9n;',
      "  skel.maps['.data.with_head'].setValueSize(8 + 8 * 3);",
      "  print(skel.data.started_at.length, skel.data.tail.length, skel.data.started_at[0]);",
      '}',
    ].join('\n');
    const run = new SetupRun({ module: compileSetupModule(src, 'resize.mjs'), machine: { cpus: 4 }, seed: 1 });
    const o = openObject(bpfFixtureBytes('test/bpf/loader/resizable.bpf.c'), { file: 'resizable.bpf.o', kernel: createKernelEnv({ version: DEFAULT_KERNEL_VERSION }), beforeLoad: (x) => run.beforeLoad(x) });
    expect(run.log.map((l) => l.text)).toEqual(['4 3 7']);
    const m = o.maps.find((x) => x.name === '.data.started_at')!;
    expect(m.valueSize).toBe(32);
    expect([...new BigUint64Array(m.initialValue!.slice().buffer)]).toEqual([7n, 0n, 0n, 9n]);
    expect(o.maps.find((x) => x.name === '.data.with_head')!.valueSize).toBe(32);
  });
});

describe('setup module: determinism', () => {
  it('Math.random is the seeded generator and Date.now virtual time: the same seed repeats the run', () => {
    const src = [
      'export function afterAttach(skel) {',
      "  print('r', Math.random().toFixed(12), Math.random().toFixed(12));",
      "  skel.every(250, () => print('t', Date.now(), Math.floor(Math.random() * 1e6)));",
      '}',
    ].join('\n');
    const out = (seed: number) => {
      const s = sim('knobs', { seed, setup: compileSetupModule(src, 'rand.mjs') });
      s.runUntil(600_000_000);
      return s.setup!.log.map((l) => l.text);
    };
    const a = out(5);
    expect(a).toHaveLength(3);
    expect(a[1]).toMatch(/^t 250 \d+$/);
    expect(a[2]).toMatch(/^t 500 \d+$/);
    expect(out(5)).toEqual(a);
    expect(out(6)[0]).not.toBe(a[0]);
  });
});

describe('testRun on the CPU the caller is pinned to', () => {
  // test/bpf/setup/pinned.bpf.c: start_tick arms a CPU-pinned timer only on the CPU it runs on, like scx_tickless's start_timer
  const pinned = (body: string) => new Simulation({
    objectBytes: fixture('pinned'), file: 'pinned.bpf.o', workload: 'cpu-hogs', cpus: 4, seed: 1,
    setup: compileSetupModule(body, 'pinned.mjs'),
  });

  it('runs the syscall program on `cpu` (its bpf_get_smp_processor_id), default CPU 0; a pinned timer then fires there', () => {
    const s = pinned([
      'export function afterAttach(skel) {',
      '  const away = skel.progs.start_tick.testRun({ ctx: { cpu_id: 2 } });',
      '  print(`default ${away.retval} ${away.ctx.ran_on}`);',
      '  const here = skel.progs.start_tick.testRun({ ctx: { cpu_id: 2 }, cpu: 2 });',
      '  print(`pinned ${here.retval} ${here.ctx.ran_on}`);',
      '}',
    ].join('\n'));
    s.runFor(20_000_000);
    expect(s.setup!.log.map((l) => l.text)).toEqual(['default -22 0', 'pinned 0 2']);
    const fired = globalBytes(s, 'fired');
    const perCpu = [0, 1, 2, 3].map((c) => Number(fired.getBigUint64(8 * c, true)));
    expect(perCpu[2]).toBeGreaterThanOrEqual(15);
    expect(perCpu.filter((_, c) => c !== 2)).toEqual([0, 0, 0]);
    s.unload();
  });

  it('refuses a CPU the machine does not have: the module fails at that line and the scheduler is unregistered', () => {
    const s = pinned('export function afterAttach(skel) {\n  skel.progs.start_tick.testRun({ ctx: { cpu_id: 0 }, cpu: 4 });\n}');
    s.runFor(1_000_000);
    expect(s.summary().exit).toMatchObject({ kind: 'SCX_EXIT_UNREG', ejected: true });
    expect(s.summary().exit.message).toMatch(/pinned\.mjs:2: .*testRun: cpu 4 is not a CPU of the machine \(0\.\.3\)/);
  });
});

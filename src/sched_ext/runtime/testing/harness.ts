// Test-only: a runtime test program (test/bpf/runtime/<name>.bpf.c), built
// on demand by the one BPF compile helper (test/support/bpf.ts), open it with the loader against the
// simulated kernel's BTF, and run it in a BpfRuntime with a deterministic host.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, bpfFixtureBytes } from '../../../../test/support/bpf';
import type { EngineKind } from '../../vm/abi';
import type { LoadedObject } from '../../loader/object';
import { makeKernelEnv, openObject, type KernelEnv } from '../../loader/index';
import { loadKernelBtfFromObject } from '../../loader/kernel_btf';
import type { SimEvent } from '../../../model/events';
import type { RuntimeHost } from '../host';
import { BpfRuntime } from '../runtime';
import type { ValueCell } from '../maps/map';
import { ArrayMap } from '../maps/array';
import type { InvalidatedAccessMode } from '../invalidation_guard';

export { REPO_ROOT };
const SRC_DIR = join(REPO_ROOT, 'test/bpf/runtime');

export function sourcePath(name: string): string {
  return join(SRC_DIR, `${name}.bpf.c`);
}

/** test/bpf/runtime/<name>.bpf.c, compiled if stale (test/support/bpf.ts). */
export function programObject(name: string): Uint8Array {
  return bpfFixtureBytes(`test/bpf/runtime/${name}.bpf.c`);
}

let kernelEnv: KernelEnv | undefined;
export function testKernel(): KernelEnv {
  kernelEnv ??= makeKernelEnv(loadKernelBtfFromObject(new Uint8Array(readFileSync(join(REPO_ROOT, 'assets/kernel/kernel.bpf.o')))));
  return kernelEnv;
}

/** Line number (1-based) of the line in the program's source that contains `marker`. */
export function lineOf(name: string, marker: string): number {
  const lines = readFileSync(sourcePath(name), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`marker ${marker} not in ${name}.bpf.c`);
  return i + 1;
}

/** A deterministic host: settable clock, CPU, xorshift random, recorded events, a timer queue. */
export class TestHost implements RuntimeHost {
  clock = 1_000_000n;
  cpu = 0;
  readonly nrCpus: number;
  readonly events: SimEvent[] = [];
  private seed = 0x2545f491;
  private timers: { at: bigint; cpu: number; fire: () => void; live: boolean }[] = [];
  tasks = new Map<bigint, number>();

  constructor(nrCpus = 4) {
    this.nrCpus = nrCpus;
  }

  now(): bigint {
    return this.clock;
  }
  currentCpu(): number {
    return this.cpu;
  }
  random32(): number {
    this.seed ^= this.seed << 13;
    this.seed ^= this.seed >>> 17;
    this.seed ^= this.seed << 5;
    return this.seed >>> 0;
  }
  emit(ev: SimEvent): void {
    this.events.push(ev);
  }
  taskKey(ptr: bigint): number | undefined {
    return this.tasks.get(ptr);
  }
  scheduleTimer(atNs: bigint, cpu: number, fire: () => void): () => void {
    const t = { at: atNs, cpu, fire, live: true };
    this.timers.push(t);
    return () => {
      t.live = false;
    };
  }

  /** Advance virtual time to `to`, firing due timers in time order on their CPU. */
  advance(to: bigint): number {
    let fired = 0;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= to).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))[0];
      if (due === undefined) break;
      due.live = false;
      this.clock = due.at;
      this.cpu = due.cpu;
      due.fire();
      fired++;
    }
    this.timers = this.timers.filter((t) => t.live);
    this.clock = to;
    return fired;
  }

  ofKind<K extends SimEvent['kind']>(kind: K): Extract<SimEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<SimEvent, { kind: K }> => e.kind === kind);
  }
}

export interface Loaded {
  rt: BpfRuntime;
  host: TestHost;
  obj: LoadedObject;
  /** Read a global variable as a signed 64-bit value (index into arrays of 8-byte elements). */
  g64(name: string, index?: number): bigint;
  g32(name: string, index?: number): number;
  cell(mapName: string, index?: number): ValueCell;
  /** Run a program and return its int result (sign-extended from 32 bits, as the C functions return int). */
  run(prog: string, ...args: (bigint | number)[]): bigint;
}

export function loadProgram(name: string, engine: EngineKind, host = new TestHost(), opts: { invalidatedAccess?: InvalidatedAccessMode } = {}): Loaded {
  const obj = openObject(programObject(name), { file: `${name}.bpf.o`, kernel: testKernel() });
  const rt = new BpfRuntime({ object: obj, kernel: testKernel(), host, engine, ...opts });
  const gv = (v: string) => {
    const g = obj.globals.find((x) => x.name === v);
    if (g === undefined) throw new Error(`no global ${v} in ${name}`);
    const m = rt.maps[g.mapIndex] as ArrayMap;
    return { view: m.cell(0, 0)!.region.view, offset: g.offset };
  };
  return {
    rt,
    host,
    obj,
    g64: (v, i = 0) => {
      const { view, offset } = gv(v);
      return view.getBigInt64(offset + 8 * i, true);
    },
    g32: (v, i = 0) => {
      const { view, offset } = gv(v);
      return view.getInt32(offset + 4 * i, true);
    },
    cell: (mapName, index = 0) => {
      const m = rt.mapByName(mapName);
      if (!(m instanceof ArrayMap)) throw new Error(`no array map ${mapName}`);
      return m.cell(index, host.cpu)!;
    },
    run: (prog, ...args) => BigInt.asIntN(32, rt.callProgram(prog, args.map((a) => BigInt(a))).ret),
  };
}

export const ENGINES: EngineKind[] = ['interp', 'jit'];

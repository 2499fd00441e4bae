// The same-run native baseline for bench/vm.ts: each benchmark program's C
// source (/work/shared/bench/progs/NAME.bpf.c) compiled for the host with
// clang-19 -O2 and linked with bench/native/harness.c, a tiny executable
// that times its own runs (CLOCK_MONOTONIC around the call alone, the input
// buffer restored outside the timed section) and prints r0 and the times as
// JSON. Built into a temporary directory on every bench run, so the figures
// always come from this machine, this compiler and this time window.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLANG = process.env.SCXRAY_CLANG ?? 'clang-19';
const HARNESS_C = fileURLToPath(new URL('./native/harness.c', import.meta.url));

export interface NativeBuild {
  exe: string;
  dispose(): void;
}

export interface NativeRun {
  r0: bigint;
  /** Wall time of each timed run, in ms. */
  ms: number[];
  /** CPU time of each timed run, in ms. */
  cpuMs: number[];
}

function clang(args: string[]): void {
  const r = spawnSync(CLANG, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`native baseline: cannot run ${CLANG}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`native baseline: ${CLANG} ${args.join(' ')} failed:\n${r.stderr}`);
}

/**
 * Compile the programs (each its own translation unit, so nothing inlines
 * across the call) and the harness into one executable.
 */
export function buildNative(progsDir: string, names: readonly string[]): NativeBuild {
  const dir = mkdtempSync(join(tmpdir(), 'scxray-native-'));
  try {
    const objs: string[] = [];
    for (const name of names) {
      const obj = join(dir, `${name}.o`);
      clang(['-O2', '-c', join(progsDir, `${name}.bpf.c`), '-o', obj]);
      objs.push(obj);
    }
    const harness = join(dir, 'harness.o');
    clang(['-O2', '-c', HARNESS_C, '-o', harness]);
    const exe = join(dir, 'harness');
    clang(['-O2', '-o', exe, harness, ...objs]);
    return { exe, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Run one program WARMUP + RUNS times in the harness; the times of the RUNS timed runs. */
export function runNative(build: NativeBuild, name: string, warmup: number, runs: number): NativeRun {
  const r = spawnSync(build.exe, [name, String(warmup), String(runs)], { encoding: 'utf8' });
  if (r.error) throw new Error(`native baseline: cannot run ${build.exe}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`native baseline: ${name} exited with ${r.status}: ${r.stderr.trim()}`);
  let parsed: { program?: unknown; r0?: unknown; ns?: unknown; cpu_ns?: unknown };
  try {
    parsed = JSON.parse(r.stdout) as typeof parsed;
  } catch {
    throw new Error(`native baseline: ${name} printed no JSON: ${r.stdout.slice(0, 200)}`);
  }
  const { program, r0, ns, cpu_ns: cpuNs } = parsed;
  const times = (xs: unknown): xs is number[] => Array.isArray(xs) && xs.length === runs && xs.every((x) => typeof x === 'number');
  if (program !== name || typeof r0 !== 'string' || !/^0x[0-9a-f]+$/.test(r0) || !times(ns) || !times(cpuNs)) {
    throw new Error(`native baseline: ${name} printed unexpected JSON: ${r.stdout.slice(0, 200)}`);
  }
  return { r0: BigInt(r0), ms: ns.map((x) => x / 1e6), cpuMs: cpuNs.map((x) => x / 1e6) };
}

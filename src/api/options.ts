// Options of the library API (open a scheduler, run it) and their checks:
// each bad option is an ApiError naming the option and the value at fault.

import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { MachineSpec } from '../model/events';
import type { ResizeOptions } from '../sched_ext/loader/resize';
import type { SimulationOptions } from '../sim/simulation';
import { loadWorkload, validateWorkload } from '../sim/workload/load';
import { parseDuration, type Workload } from '../sim/workload/schema';
import type { SetupModule } from '../sim/setup/module';

export class ApiError extends Error {
  constructor(
    /** The option at fault, e.g. "duration" or "sets.slice_ns". */
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = 'ApiError';
  }
}

export interface OpenOptions {
  /** Name the object goes by in traces and messages; default the file's base name ("object.bpf.o" for bytes). */
  file?: string;
  /** .rodata/.data variables assigned before load, like `scxray run --set`. Booleans become 1/0, strings NUL-terminated char arrays. */
  sets?: Record<string, bigint | number | boolean | string>;
  /** One-element array variables (or their .data.X/.bss.X sections) resized to this many elements before load, like `--resize`. */
  resize?: Record<string, number>;
  /** BPF engine: "jit" (default) or "interp". */
  engine?: 'jit' | 'interp';
  /**
   * The scheduler's userspace half: a setup module (.mjs/.js/.ts, see
   * docs/userspace.md), loaded once here and run beside the object in every
   * run and re-simulation. Load problems throw SetupError (file and line).
   */
  setup?: string;
  /** Wall-clock budget of each call into the setup module, ms (default 2000). */
  setupBudgetMs?: number;
}

/** A duration or instant: nanoseconds as a number, or a string with a unit ("250us", "5ms", "1.5s"). */
export type Time = number | string;

export interface RunOptions {
  /** A preset name (assets/workloads), a JSON file path, or a workload object (docs/workloads.md). */
  workload: string | Workload | Record<string, unknown>;
  /** CPU count or machine shape; default the workload's `cpus`, else 4. */
  cpus?: number | MachineSpec;
  /** Default 1. */
  seed?: number;
  /** Virtual run time; default 1s. */
  duration?: Time;
  /** Emulated kernel release, e.g. "6.12.0"; default the newest supported. */
  kernelVersion?: string;
  /** Keep the recorded trace at this path (otherwise it lives in a temporary directory until close()). */
  record?: string;
  /**
   * Stop the run after this many simulator events even if `duration` has not
   * passed (a deterministic bound for generated workloads); RunResult.truncated
   * says it happened and durationNs is where it stopped.
   */
  maxEvents?: number;
}

export function toNs(v: Time, option: string): number {
  try {
    const ns = parseDuration(v);
    if (!Number.isFinite(ns) || ns < 0) throw new Error(`must be a non-negative time, got ${v}`);
    return ns;
  } catch (e) {
    throw new ApiError(option, (e as Error).message);
  }
}

export interface LoadedBytes {
  bytes: Uint8Array;
  file: string;
}

export function readObject(object: string | Uint8Array, file: string | undefined): LoadedBytes {
  if (typeof object !== 'string') return { bytes: object, file: file ?? 'object.bpf.o' };
  if (!existsSync(object)) throw new ApiError('object', `no such file: ${object}`);
  return { bytes: new Uint8Array(readFileSync(object)), file: file ?? basename(object) };
}

export function toSets(sets: OpenOptions['sets']): Record<string, bigint | Uint8Array> {
  const out: Record<string, bigint | Uint8Array> = {};
  for (const [name, v] of Object.entries(sets ?? {})) {
    if (typeof v === 'bigint') out[name] = v;
    else if (typeof v === 'boolean') out[name] = v ? 1n : 0n;
    else if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw new ApiError(`sets.${name}`, `must be an integer, got ${v}`);
      out[name] = BigInt(v);
    } else if (typeof v === 'string') out[name] = new TextEncoder().encode(v + '\0');
    else throw new ApiError(`sets.${name}`, `must be a bigint, number, boolean or string, got ${typeof v}`);
  }
  return out;
}

export function toResize(resize: OpenOptions['resize']): ResizeOptions | undefined {
  if (!resize) return undefined;
  const out: ResizeOptions = {};
  for (const [name, n] of Object.entries(resize)) {
    if (!Number.isInteger(n) || n < 1) throw new ApiError(`resize.${name}`, `must be a positive element count, got ${n}`);
    out[name] = { elements: n };
  }
  return out;
}

export function toWorkload(w: RunOptions['workload']): Workload {
  if (typeof w === 'string') return loadWorkload(w);
  if (w === null || typeof w !== 'object') throw new ApiError('workload', 'must be a preset name, a file path or a workload object');
  return validateWorkload(w, 'workload');
}

/** Everything a Simulation needs for one run; kept so a run can be re-simulated to an instant. */
export function simulationOptions(obj: LoadedBytes, open: OpenOptions, run: RunOptions, workload: Workload, setup?: SetupModule): SimulationOptions {
  const cpus = run.cpus ?? workload.cpus ?? 4;
  const seed = run.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new ApiError('seed', `must be an integer from 0 to 2^32-1, got ${seed}`);
  if (open.engine !== undefined && open.engine !== 'jit' && open.engine !== 'interp') throw new ApiError('engine', `must be "jit" or "interp", got "${String(open.engine)}"`);
  return {
    objectBytes: obj.bytes,
    file: obj.file,
    workload,
    cpus,
    seed,
    engine: open.engine,
    kernelVersion: run.kernelVersion,
    sets: toSets(open.sets),
    resize: toResize(open.resize),
    ...(setup ? { setup } : {}),
    ...(setup && open.setupBudgetMs !== undefined ? { setupBudgetMs: open.setupBudgetMs } : {}),
  };
}

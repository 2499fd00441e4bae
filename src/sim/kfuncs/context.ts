// What every sched_ext kfunc implementation needs: the core, a way to turn
// pointer arguments back into simulator objects, and registration that
// skips names the emulated kernel release does not export (so a scheduler's
// bpf_ksym_exists() checks see the release's kfunc set).

import { BpfFault } from '../../sched_ext/vm/fault';
import type { NativeEnv, NativeFn } from '../../sched_ext/vm/abi';
import type { ScxCore } from '../core/scx_core';
import { SimTask } from '../core/task';
import { SimCgroup } from '../core/cgroup';

export interface KfuncSink {
  idOf(name: string): number | undefined;
  register(name: string, fn: NativeFn): void;
}

export interface KfuncContext {
  core(): ScxCore;
  kernelVersion: string;
  /** Take an acquired reference the runtime tracks (bpf_task_release/bpf_cgroup_release balance it). */
  acquire?(env: NativeEnv, ptr: bigint, what: 'task_struct' | 'cgroup'): bigint;
}

/**
 * Register only what the emulated release exports, and note the calling
 * site while a kfunc runs so an error it raises names the source line.
 */
export function registrar(sink: KfuncSink, kc: KfuncContext): (name: string, fn: NativeFn) => void {
  return (name, fn) => {
    if (sink.idOf(name) === undefined) return;
    sink.register(name, (env) => {
      const core = kc.core();
      // kfuncs do not nest, so one reusable site record is enough
      const site = core.kfuncSiteSlot;
      site.program = env.program;
      site.insn = env.insn;
      core.kfuncSite = site;
      try {
        return fn(env);
      } finally {
        core.kfuncSite = undefined;
      }
    });
  };
}

export function taskArg(env: NativeEnv, i: 1 | 2 | 3 | 4 | 5, kfunc: string): SimTask {
  const ptr = env.arg(i);
  const payload = ptr === 0n ? undefined : env.space.regionOfHi(Number(ptr >> 32n))?.payload;
  if (payload instanceof SimTask) return payload;
  throw new BpfFault('native', `${kfunc}: argument ${i} (0x${ptr.toString(16)}) is not a task_struct pointer`);
}

export function cgroupArg(env: NativeEnv, i: 1 | 2 | 3 | 4 | 5, kfunc: string): SimCgroup {
  const ptr = env.arg(i);
  const payload = ptr === 0n ? undefined : env.space.regionOfHi(Number(ptr >> 32n))?.payload;
  if (payload instanceof SimCgroup) return payload;
  throw new BpfFault('native', `${kfunc}: argument ${i} (0x${ptr.toString(16)}) is not a cgroup pointer`);
}

/** Read a struct cpumask argument into one byte per CPU. */
export function cpumaskArg(env: NativeEnv, i: 1 | 2 | 3 | 4 | 5, nrCpus: number): Uint8Array {
  const bytes = env.space.readBytes(env.arg(i), Math.ceil(nrCpus / 8));
  const out = new Uint8Array(nrCpus);
  for (let c = 0; c < nrCpus; c++) out[c] = (bytes[c >> 3]! >> (c & 7)) & 1;
  return out;
}

/** The source site of the calling instruction, for exit info and diagnostics. */
export function siteOf(env: NativeEnv): { program: string; line?: number; file?: string } {
  const li = env.sourceLine();
  return { program: env.program, line: li?.line, file: li?.file };
}

// Helpers that are not about maps or objects: time, CPU, randomness,
// printing, bpf_loop and kernel memory reads (uapi ids from bpf.h).

import { BpfFault } from '../vm/fault';
import type { NativeEnv } from '../vm/abi';
import type { RuntimeCore } from './core';
import { E2BIG, EFAULT, EINVAL } from './errno';
import { helper, type HelperTable } from './natives';
import { formatBpf } from './printf';

export const MiscHelper = {
  getCurrentPidTgid: 14,
  getCurrentTask: 35,
  getCurrentTaskBtf: 158,
  ktimeGetNs: 5,
  tracePrintk: 6,
  getPrandomU32: 7,
  getSmpProcessorId: 8,
  probeReadKernel: 113,
  probeReadKernelStr: 115,
  ktimeGetBootNs: 125,
  ktimeGetCoarseNs: 160,
  snprintf: 165,
  traceVprintk: 177,
  loop: 181,
  ktimeGetTaiNs: 208,
} as const;

/** bpf_loop's limit (BPF_MAX_LOOPS). */
const BPF_MAX_LOOPS = 8 * 1024 * 1024;
/** MAX_BPRINTF_VARARGS: bpf_snprintf and trace_vprintk take at most 12 arguments. */
const MAX_VARARGS = 12;

export function registerMiscHelpers(h: HelperTable, core: RuntimeCore): void {
  const space = core.space;
  const now = () => BigInt.asUintN(64, core.host.now());
  helper(h, MiscHelper.ktimeGetNs, now);
  helper(h, MiscHelper.ktimeGetBootNs, now);
  helper(h, MiscHelper.ktimeGetCoarseNs, now);
  helper(h, MiscHelper.ktimeGetTaiNs, now);
  helper(h, MiscHelper.getPrandomU32, () => core.host.random32() >>> 0);
  helper(h, MiscHelper.getSmpProcessorId, () => core.host.currentCpu());
  const current = () => core.host.currentTask?.() ?? 0n;
  helper(h, MiscHelper.getCurrentTask, current);
  helper(h, MiscHelper.getCurrentTaskBtf, current);
  // tgid << 32 | pid; the simulator's tasks are single-threaded processes, so both are the pid.
  helper(h, MiscHelper.getCurrentPidTgid, () => {
    const t = current();
    const pid = t === 0n ? 0 : (core.host.taskKey?.(t) ?? 0);
    return (BigInt(pid) << 32n) | BigInt(pid);
  });

  const printk = (env: NativeEnv, fmtPtr: bigint, fmtSize: number, args: bigint[]): number => {
    const fmt = space.readCString(fmtPtr, fmtSize);
    const text = formatBpf(space, fmt, args);
    core.emit({ t: core.now(), kind: 'printk', cpu: core.host.currentCpu(), program: env.program, text: text.replace(/\n$/, '') });
    return text.length;
  };
  const varargs = (ptr: bigint, len: number): bigint[] => {
    if (len % 8 !== 0 || len / 8 > MAX_VARARGS) throw new BpfFault('native', `data_len ${len} must be a multiple of 8 and at most ${MAX_VARARGS * 8}`);
    const out: bigint[] = [];
    for (let i = 0; i < len; i += 8) out.push(space.readU64(ptr + BigInt(i)));
    return out;
  };
  helper(h, MiscHelper.tracePrintk, (env) => printk(env, env.arg(1), env.argU32(2), [env.arg(3), env.arg(4), env.arg(5)]));
  helper(h, MiscHelper.traceVprintk, (env) => printk(env, env.arg(1), env.argU32(2), varargs(env.arg(3), env.argU32(4))));

  // bpf_snprintf(str, str_size, fmt, data, data_len): like snprintf, returns the length including the NUL.
  helper(h, MiscHelper.snprintf, (env) => {
    const size = env.argU32(2);
    const text = formatBpf(space, space.readCString(env.arg(3)), varargs(env.arg(4), env.argU32(5)));
    const bytes = new TextEncoder().encode(text);
    if (size > 0) {
      const n = Math.min(bytes.length, size - 1);
      const out = new Uint8Array(n + 1);
      out.set(bytes.subarray(0, n));
      space.writeBytes(env.arg(1), out);
    }
    return bytes.length + 1;
  });

  // bpf_loop(nr, callback, ctx, flags): the callback returns 0 to go on, 1 to stop.
  helper(h, MiscHelper.loop, (env) => {
    const nr = env.argU32(1);
    if (env.arg(4) !== 0n) return -EINVAL;
    if (nr > BPF_MAX_LOOPS) return -E2BIG;
    const cb = env.arg(2);
    const ctx = env.arg(3);
    for (let i = 0; i < nr; i++) {
      if (env.callback(cb, [BigInt(i), ctx]) !== 0n) return i + 1;
    }
    return nr;
  });

  // Fault-safe reads: a bad source zeroes the destination and returns -EFAULT.
  helper(h, MiscHelper.probeReadKernel, (env) => {
    const size = env.argU32(2);
    try {
      space.writeBytes(env.arg(1), space.readBytes(env.arg(3), size));
      return 0;
    } catch (e) {
      if (!(e instanceof BpfFault)) throw e;
      space.writeBytes(env.arg(1), new Uint8Array(size));
      return -EFAULT;
    }
  });
  helper(h, MiscHelper.probeReadKernelStr, (env) => {
    const size = env.argU32(2);
    if (size === 0) return 0;
    let s: Uint8Array;
    try {
      s = new TextEncoder().encode(space.readCString(env.arg(3), size - 1));
    } catch (e) {
      if (!(e instanceof BpfFault)) throw e;
      space.writeBytes(env.arg(1), new Uint8Array(1));
      return -EFAULT;
    }
    const out = new Uint8Array(s.length + 1);
    out.set(s);
    space.writeBytes(env.arg(1), out);
    return out.length;
  });
}

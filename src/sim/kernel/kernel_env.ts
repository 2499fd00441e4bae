// The kernel the scheduler believes it runs on: the BTF of the simulated
// kernel (assets/kernel/kernel.bpf.o plays /sys/kernel/btf/vmlinux) plus the
// kconfig values a real kernel would expose to .kconfig externs.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeKernelEnv, type KernelEnv } from '../../sched_ext/loader/kernel_env';
import { loadKernelBtfFromObject } from '../../sched_ext/loader/kernel_btf';
import type { Btf } from '../../sched_ext/btf/btf';

/** The default emulated release: its kfunc set is the default kernel BTF's (assets/kernel/kernel.bpf.o). */
export const DEFAULT_KERNEL_VERSION = '6.19.0';

const KERNEL_DIR = new URL('../../../assets/kernel/', import.meta.url);
export const DEFAULT_KERNEL_OBJECT = fileURLToPath(new URL('kernel.bpf.o', KERNEL_DIR));

/** The releases with a kernel BTF object of their own: every one from sched_ext's first (v6.12) to the default. */
export const KERNEL_RELEASES = ['6.12', '6.13', '6.14', '6.15', '6.16', '6.17', '6.18', '6.19'] as const;

/**
 * The kernel BTF object of a release: the kfunc set changes in every release
 * (assets/kernel/kernel.bpf.c lists what each adds or removes). A version
 * between two releases gets the older one's; one before v6.12 gets v6.12's,
 * one after the default the default's.
 */
export function kernelObjectFor(version: string): string {
  let release: string = KERNEL_RELEASES[0];
  for (const r of KERNEL_RELEASES) if (compareKernelVersions(version, `${r}.0`) >= 0) release = r;
  if (compareKernelVersions(`${release}.0`, DEFAULT_KERNEL_VERSION) >= 0) return DEFAULT_KERNEL_OBJECT;
  return fileURLToPath(new URL(`kernel_v${release.replace('.', '_')}.bpf.o`, KERNEL_DIR));
}

const btfCache = new Map<string, Btf>();

export interface KernelEnvOptions {
  version?: string;
  /** Path of the kernel BTF object; defaults to assets/kernel/kernel.bpf.o. */
  kernelObject?: string;
}

/** The kconfig a sched_ext-capable kernel has: CONFIG_HZ=1000 matches the simulated 1 ms tick. */
export const SIM_KCONFIG: Readonly<Record<string, bigint>> = {
  CONFIG_HZ: 1000n,
  CONFIG_SCHED_CLASS_EXT: 1n,
  CONFIG_SMP: 1n,
  CONFIG_NR_CPUS: 256n,
  CONFIG_BPF_SYSCALL: 1n,
  CONFIG_SCHED_SMT: 1n,
  CONFIG_SCHED_MC: 1n,
  CONFIG_NUMA: 1n,
  CONFIG_CGROUP_SCHED: 1n,
  CONFIG_EXT_GROUP_SCHED: 1n,
  CONFIG_PREEMPT: 1n,
};

export function createKernelEnv(opts: KernelEnvOptions = {}): KernelEnv {
  const version = opts.version ?? DEFAULT_KERNEL_VERSION;
  const path = opts.kernelObject ?? kernelObjectFor(version);
  let btf = btfCache.get(path);
  if (!btf) {
    btf = loadKernelBtfFromObject(new Uint8Array(readFileSync(path)), path);
    btfCache.set(path, btf);
  }
  return makeKernelEnv(btf, { version, kconfig: { ...SIM_KCONFIG } });
}

/** Compare "6.13.0"-style versions: negative when a < b. */
export function compareKernelVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

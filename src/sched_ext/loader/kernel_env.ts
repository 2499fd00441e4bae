// What the loader needs from "the running kernel": its BTF (for CO-RE, kfunc
// ids and prototypes, enum constants and struct_ops layouts), its kconfig
// values (.kconfig externs) and a version string. The simulator supplies one;
// tests build one from a compiled C file.

import type { Btf } from '../btf/btf';

export interface KernelEnv {
  btf: Btf;
  /** Value of a .kconfig extern (CONFIG_*, LINUX_KERNEL_VERSION), or undefined if the kernel lacks it. */
  kconfig(name: string): bigint | undefined;
  /** "6.19.0" and the like. */
  version: string;
}

/** KERNEL_VERSION(a, b, c) as the kernel encodes it (c capped at 255). */
export function kernelVersionCode(version: string): bigint {
  const [a = 0, b = 0, c = 0] = version.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  return BigInt((a << 16) + (b << 8) + Math.min(c, 255));
}

/** A KernelEnv over a BTF with a fixed kconfig table; LINUX_KERNEL_VERSION derives from `version`. */
export function makeKernelEnv(btf: Btf, opts: { version?: string; kconfig?: Record<string, bigint> } = {}): KernelEnv {
  const version = opts.version ?? '6.19.0';
  const table = opts.kconfig ?? {};
  return {
    btf,
    version,
    kconfig(name: string): bigint | undefined {
      if (name in table) return table[name];
      if (name === 'LINUX_KERNEL_VERSION') return kernelVersionCode(version);
      return undefined;
    },
  };
}

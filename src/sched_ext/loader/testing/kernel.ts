// Test-only: the simulated kernel's BTF (assets/kernel/kernel.bpf.o) as a KernelEnv.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeKernelEnv, type KernelEnv } from '../kernel_env';
import { loadKernelBtfFromObject } from '../kernel_btf';
import { REPO_ROOT } from './fixtures';

let cached: KernelEnv | undefined;

export function simKernel(): KernelEnv {
  cached ??= makeKernelEnv(loadKernelBtfFromObject(new Uint8Array(readFileSync(join(REPO_ROOT, 'assets/kernel/kernel.bpf.o')))), { version: '6.19.0', kconfig: { CONFIG_HZ: 250n } });
  return cached;
}

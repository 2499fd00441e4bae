// Typed kernel symbols (`extern struct rq runqueues __ksym;`): ld_imm64
// src 3 gives the symbol's address, as the verifier patches it in. A per-CPU
// symbol's address is a per-CPU base, only good for bpf_per_cpu_ptr (helper
// 153) and bpf_this_cpu_ptr (154), which return that CPU's copy; here the
// base is a zero-size 'kernel' region, so dereferencing it directly faults
// and names the symbol, where the kernel's verifier would refuse the load.
// The copies themselves come from the host (the simulated kernel).

import type { Region } from '../vm/memory';
import type { KsymVar } from '../loader/object';
import type { RuntimeCore } from './core';
import { helper, type HelperTable } from './natives';

export const PER_CPU_PTR = 153;
export const THIS_CPU_PTR = 154;

class KsymMarker {
  constructor(readonly ksym: KsymVar) {}
}

export class KernelSymbols {
  private readonly regions: Region[];

  constructor(private readonly core: RuntimeCore, readonly ksyms: readonly KsymVar[]) {
    this.regions = ksyms.map((k) => core.space.alloc('kernel', k.perCpu ? `per-CPU base of ${k.name} (use bpf_per_cpu_ptr)` : `kernel symbol ${k.name}`, 0, { payload: new KsymMarker(k) }));
  }

  /** What ld_imm64 src 3 with imm = `index` loads. */
  pointer(index: number): bigint {
    const k = this.ksyms[index];
    if (k === undefined) return 0n;
    if (!k.perCpu) return this.core.host.kernelSymbol?.(k.name, 0) ?? this.core.space.pointer(this.regions[index]!);
    return this.core.space.pointer(this.regions[index]!);
  }

  register(h: HelperTable): void {
    const core = this.core;
    const copy = (base: bigint, cpu: number): bigint => {
      const region = core.space.regionOfHi(Number((base >> 32n) & 0xffff_ffffn));
      const marker = region?.payload;
      if (!(marker instanceof KsymMarker) || !marker.ksym.perCpu) return 0n;
      if (cpu < 0 || cpu >= core.host.nrCpus) return 0n;
      return core.host.kernelSymbol?.(marker.ksym.name, cpu) ?? 0n;
    };
    // void *bpf_per_cpu_ptr(const void *percpu_ptr, u32 cpu): NULL for a CPU past nr_cpu_ids
    helper(h, PER_CPU_PTR, (env) => copy(env.arg(1), env.argU32(2)));
    // void *bpf_this_cpu_ptr(const void *percpu_ptr)
    helper(h, THIS_CPU_PTR, (env) => copy(env.arg(1), core.host.currentCpu()));
  }
}

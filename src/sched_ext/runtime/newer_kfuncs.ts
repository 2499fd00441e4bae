// Generic kfuncs of newer kernels that production schedulers call:
//   bpf_preempt_disable / bpf_preempt_enable (v6.10, kernel/bpf/helpers.c):
//     one simulated CPU runs a program to completion, so there is nothing to
//     hold off; the nesting depth is kept so an unbalanced enable is reported.
//   bpf_cpumask_populate (v6.14, kernel/bpf/cpumask.c): copy nr_cpu_ids bits
//     from program memory into a bpf_cpumask; -EACCES when the source is
//     smaller than bitmap_size(nr_cpu_ids).

import type { RuntimeCore } from './core';
import type { KfuncTable } from './natives';

const EACCES = 13;

export function registerNewerKfuncs(k: KfuncTable, core: RuntimeCore): void {
  let preemptDepth = 0;
  k.set('bpf_preempt_disable', () => {
    preemptDepth++;
    return 0n;
  });
  k.set('bpf_preempt_enable', (env) => {
    if (preemptDepth === 0) {
      core.diag('refused', 'bpf_preempt_enable without a matching bpf_preempt_disable; the kernel verifier rejects this', core.site(env));
      return 0n;
    }
    preemptDepth--;
    return 0n;
  });
  k.set('bpf_cpumask_populate', (env) => {
    const nr = core.host.nrCpus;
    const bytes = Math.ceil(nr / 64) * 8; // bitmap_size(nr_cpu_ids): whole longs
    if (Number(env.arg(3)) < bytes) return BigInt(-EACCES);
    const src = core.space.readBytes(env.arg(2), bytes);
    const { region, offset } = core.space.resolve(env.arg(1), bytes, true);
    region.bytes.set(src, offset);
    // bits past nr_cpu_ids in the last long are not CPUs: clear them like the kernel's cpumask ops would ignore them
    for (let c = nr; c < bytes * 8; c++) region.bytes[offset + (c >> 3)]! &= ~(1 << (c & 7));
    return 0n;
  });
}

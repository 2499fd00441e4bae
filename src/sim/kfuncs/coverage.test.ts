// Every sched_ext kfunc the emulated kernel declares is implemented, for
// each release the simulator emulates (the kfunc set differs across them).

import { describe, expect, it } from 'vitest';
import { KfuncRegistry } from '../../sched_ext/runtime/kfunc_registry';
import { createKernelEnv } from '../kernel/kernel_env';
import { registerSchedExtKfuncs } from './index';
import type { ScxCore } from '../core/scx_core';

describe('sched_ext kfunc coverage', () => {
  for (const version of ['6.12.0', '6.13.0', '6.19.0']) {
    it(`implements every scx_bpf_* and DSQ iterator kfunc of ${version}`, () => {
      const kernel = createKernelEnv({ version });
      const registry = new KfuncRegistry(kernel.btf);
      registerSchedExtKfuncs(registry, { core: () => ({}) as ScxCore, kernelVersion: version });
      const missing = registry.unimplemented().filter((n) => n.startsWith('scx_bpf_') || n.startsWith('bpf_iter_scx_dsq') || n.startsWith('bpf_cgroup_ancestor') || n === 'bpf_cgroup_from_id');
      expect(missing).toEqual([]);
      expect(registry.has('scx_bpf_kick_cpu')).toBe(true);
    });
  }

  it('old and new names coexist where the release exports both (v6.13: dispatch and dsq_insert)', () => {
    const kernel = createKernelEnv({ version: '6.13.0' });
    const registry = new KfuncRegistry(kernel.btf);
    registerSchedExtKfuncs(registry, { core: () => ({}) as ScxCore, kernelVersion: '6.13.0' });
    expect(registry.has('scx_bpf_dsq_insert')).toBe(true);
    expect(registry.has('scx_bpf_dispatch')).toBe(true);
    expect(registry.has('scx_bpf_consume')).toBe(true);
    expect(registry.has('scx_bpf_dsq_move_to_local')).toBe(true);
  });
});

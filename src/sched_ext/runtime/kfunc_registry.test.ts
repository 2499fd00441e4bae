import { describe, expect, it } from 'vitest';
import { KfuncRegistry, UnknownKfuncError } from './kfunc_registry';
import { ENGINES, loadProgram, testKernel, TestHost } from './testing/harness';
import { BpfRuntime } from './runtime';
import { openObject } from '../loader/index';
import { programObject } from './testing/harness';

describe('KfuncRegistry', () => {
  it('binds kfuncs by their kernel BTF FUNC id and refuses names the kernel lacks', () => {
    const btf = testKernel().btf;
    const reg = new KfuncRegistry(btf);
    const id = reg.idOf('scx_bpf_kick_cpu')!;
    expect(btf.type(id)).toMatchObject({ kind: 'func', name: 'scx_bpf_kick_cpu' });
    expect(reg.natives(new Map()).kfunc(id)).toBeUndefined();
    reg.register('scx_bpf_kick_cpu', () => 7);
    expect(reg.natives(new Map()).kfunc(id)?.name).toBe('scx_bpf_kick_cpu');
    expect(() => reg.register('scx_bpf_no_such_thing', () => 0)).toThrow(UnknownKfuncError);
    expect(reg.unimplemented()).not.toContain('scx_bpf_kick_cpu');
    expect(reg.unimplemented()).toContain('scx_bpf_dsq_insert');
  });

  it('provide() does not replace a registration the simulator made, register() does', () => {
    const reg = new KfuncRegistry(testKernel().btf);
    const mine = () => 1;
    reg.register('bpf_task_from_pid', mine);
    expect(reg.provide('bpf_task_from_pid', () => 2)).toBe(false);
    expect(reg.provide('bpf_no_such_kfunc', () => 2)).toBe(false);
    const id = reg.idOf('bpf_task_from_pid')!;
    expect(reg.natives(new Map()).kfunc(id)!.fn).toBe(mine);
  });

  it('a runtime leaves only the sched_ext kfuncs (the simulator\'s) unimplemented', () => {
    const reg = new KfuncRegistry(testKernel().btf);
    const obj = openObject(programObject('list'), { file: 'list.bpf.o', kernel: testKernel() });
    new BpfRuntime({ object: obj, kernel: testKernel(), host: new TestHost(), registry: reg });
    // v6.19's packed forms (__scx_bpf_*) are the simulator's too, and so is the cgroup walk (bpf_iter_css_*)
    const left = reg.unimplemented().map((n) => n.replace(/^__/, '')).filter((n) => !n.startsWith('scx_bpf_') && !n.includes('scx_dsq') && !n.startsWith('bpf_iter_css_'));
    expect(left).toEqual([]);
  });
});

describe.each(ENGINES)('registry kfuncs reach programs (%s)', (engine) => {
  it('the simulator can override a runtime kfunc after the runtime was built', () => {
    const p = loadProgram('diag', engine);
    let calls = 0;
    p.rt.registry.register('bpf_task_acquire', (env) => {
      calls++;
      return env.arg(1);
    });
    const task = p.rt.space.pointer(p.rt.space.alloc('kernel', 'task', 64), 0);
    expect(p.run('task_leak', task)).toBe(0n);
    expect(calls).toBe(1);
    // Our override does not count references, so no leak is reported.
    expect(p.rt.diagnostics()).toEqual([]);
  });
});

// skel.structOps.NAME.member before load (test/bpf/setup/ops_flags.bpf.c):
// what a scheduler's main() writes into the struct_ops map through libbpf's
// skeleton. scx_lavd sets SCX_OPS_KEEP_BUILTIN_IDLE (it implements
// ops.update_idle and still asks for the idle cpumask) and sets ops to NULL
// on kernels without them.

import { describe, expect, it } from 'vitest';
import { bpfFixtureBytes } from '../../../test/support/bpf';
import { Simulation } from '../simulation';
import { compileSetupModule, SetupError } from './module';

function run(setup?: string) {
  const s = new Simulation({
    objectBytes: bpfFixtureBytes('test/bpf/setup/ops_flags.bpf.c'),
    file: 'ops_flags.bpf.o',
    workload: 'interactive',
    cpus: 4,
    seed: 1,
    ...(setup === undefined ? {} : { setup: compileSetupModule(setup, 'ops.mjs') }),
  });
  s.runFor(100_000_000);
  const sum = s.summary();
  const g = Object.fromEntries(s.runtime.globalValues().map((x) => [x.name, Number(x.value)]));
  s.unload();
  return { sum, g };
}

describe('setup module: struct_ops members before load', () => {
  it('without SCX_OPS_KEEP_BUILTIN_IDLE, ops.update_idle turns built-in idle tracking off and the idle cpumask is refused', () => {
    const { sum } = run();
    expect(sum.exit.kind).toBe('SCX_EXIT_ERROR');
    expect(sum.exit.message).toMatch(/built-in idle tracking is disabled/);
  });

  it('flags = SCX_OPS_KEEP_BUILTIN_IDLE keeps it: the run is clean and ops.update_idle is still called', () => {
    const { sum, g } = run('export function beforeLoad(skel) {\n  skel.structOps.ops_flags_ops.flags = 1n;\n  print("flags", skel.structOps.ops_flags_ops.flags);\n}');
    expect(sum.exit.kind).toBe('none');
    expect(sum.diagnostics).toEqual([]);
    expect(g.nr_update_idle).toBeGreaterThan(0);
    expect(g.nr_idle_masks).toBeGreaterThan(0);
  });

  it('update_idle = null leaves the op out: built-in idle tracking stays on and the op never runs', () => {
    const { sum, g } = run('export function beforeLoad(skel) {\n  skel.structOps.ops_flags_ops.update_idle = null;\n}');
    expect(sum.exit.kind).toBe('none');
    expect(g.nr_update_idle).toBe(0);
    expect(g.nr_idle_masks).toBeGreaterThan(0);
  });

  it('unknown flag bits, a member that is no data member, after load and an unknown map are named', () => {
    const fails = (src: string): string => {
      try {
        run(src);
      } catch (e) {
        if (e instanceof SetupError) return e.message;
        throw e;
      }
      throw new Error('the module did not fail');
    };
    expect(fails('export function beforeLoad(skel) {\n  skel.structOps.ops_flags_ops.flags = 1n << 60n;\n}')).toMatch(/^ops\.mjs:2: .*skel\.structOps\.ops_flags_ops\.flags: .*flags 0x1000000000000000 has bits the kernel does not know/);
    expect(fails('export function beforeLoad(skel) {\n  skel.structOps.ops_flags_ops.enqueue = 3;\n}')).toMatch(/cannot be set: the data members are/);
    expect(fails('export function afterLoad(skel) {\n  skel.structOps.ops_flags_ops.flags = 1n;\n}')).toMatch(/can only be set before load/);
    expect(fails('export function beforeLoad(skel) {\n  skel.structOps.nope.flags = 1n;\n}')).toMatch(/no struct_ops map nope; the object has: ops_flags_ops/);
  });
});

import { describe, expect, it } from 'vitest';
import { BpfFault } from '../../vm/fault';
import { ENGINES, lineOf, loadProgram, TestHost } from '../testing/harness';

class CgroupHost extends TestHost {
  cgroups = new Map<bigint, number>();
  pids = new Map<number, bigint>();
  cgroupKey(ptr: bigint): number | undefined {
    return this.cgroups.get(ptr);
  }
  taskByPid(pid: number): bigint | undefined {
    return this.pids.get(pid);
  }
  cgroupIds = new Map<bigint, bigint>();
  cgroupById(id: bigint): bigint | undefined {
    return this.cgroupIds.get(id);
  }
  current: bigint | undefined;
  currentTask(): bigint | undefined {
    return this.current;
  }
}

describe.each(ENGINES)('more map types (%s)', (engine) => {
  it('per-CPU hash: an element has one value per CPU; a program update writes this CPU\'s', () => {
    const p = loadProgram('maps_more', engine);
    p.host.cpu = 1;
    expect(p.run('pch_add', 7, 5)).toBe(5n);
    p.host.cpu = 2;
    expect(p.run('pch_add', 7, 3)).toBe(3n);
    p.host.cpu = 1;
    expect(p.run('pch_add', 7, 1)).toBe(6n);
    expect(p.rt.mapByName('pch')!.cells()).toHaveLength(4);
  });

  it('hash of maps: slots come from __array initialisers, missing keys are NULL', () => {
    const p = loadProgram('maps_more', engine);
    expect(p.run('hom_set', 3, 33)).toBe(33n);
    expect(p.run('hom_set', 0, 1)).toBe(-1n);
  });

  it('cgroup storage is keyed by the host cgroup id', () => {
    const host = new CgroupHost();
    const p = loadProgram('maps_more', engine, host);
    const cg = p.rt.space.pointer(p.rt.space.alloc('kernel', 'cgroup 5', 64), 0);
    host.cgroups.set(cg, 5);
    expect(p.run('cg_weight', cg, 100)).toBe(0n);
    expect(p.run('cg_weight', cg, 200)).toBe(100n);
    expect(p.rt.mapByName('cgstore')!.cells().map((c) => c.label())).toEqual(['map cgstore[cgroup 5]']);
  });

  it('.rodata is read-only to programs', () => {
    const p = loadProgram('maps_more', engine);
    expect(p.run('read_limit')).toBe(10n);
    expect(() => p.run('poke_rodata', 99)).toThrow(BpfFault);
    expect(p.run('read_limit')).toBe(10n);
  });

  it('bpf_task_from_pid asks the host and counts the reference it returns', () => {
    const host = new CgroupHost();
    const p = loadProgram('maps_more', engine, host);
    host.pids.set(42, p.rt.space.pointer(p.rt.space.alloc('kernel', 'task 42', 64), 0));
    expect(p.run('find_task', 42)).toBe(1n);
    expect(p.run('find_task', 43)).toBe(0n);
    expect(p.rt.diagnostics()).toEqual([]);
  });

  it('bpf_for_each_map_elem visits every element until the callback returns 1', () => {
    const p = loadProgram('maps_more', engine);
    for (const [k, v] of [[1, 10], [2, 20], [3, 30]]) expect(p.run('in0_put', k!, v!)).toBe(0n);
    expect(p.run('sum_in0', 99)).toBe(6060n);
    expect(p.g64('visited')).toBe(3n);
    expect(p.run('sum_in0', 2)).toBe(3030n);
    expect(p.g64('visited')).toBe(2n);
  });

  it('bpf_get_current_pid_tgid reports the host\'s current task', () => {
    const host = new CgroupHost();
    const p = loadProgram('maps_more', engine, host);
    expect(p.run('current_pid')).toBe(0n);
    const t = p.rt.space.pointer(p.rt.space.alloc('kernel', 'task 77', 64), 0);
    host.tasks.set(t, 77);
    host.current = t;
    expect(p.run('current_pid')).toBe(77n);
  });

  it('bpf_cgroup_from_id returns an acquired reference; not releasing it is reported', () => {
    const host = new CgroupHost();
    const p = loadProgram('maps_more', engine, host);
    host.cgroupIds.set(9n, p.rt.space.pointer(p.rt.space.alloc('kernel', 'cgroup 9', 64), 0));
    expect(p.run('find_cgroup', 9, 0)).toBe(1n);
    expect(p.run('find_cgroup', 8, 0)).toBe(0n);
    expect(p.rt.diagnostics()).toEqual([]);
    expect(p.run('find_cgroup', 9, 1)).toBe(1n);
    expect(p.rt.diagnostics()).toMatchObject([{ kind: 'task_ref_leak', line: lineOf('maps_more', 'MARK:cgroup_acquire') }]);
  });
});

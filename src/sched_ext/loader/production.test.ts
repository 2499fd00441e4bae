// What production scheduler objects bring to the loader
// (test/bpf/loader/production.bpf.c, one variant per -D flag): arenas with
// __ulong(map_extra) and __arena globals, a .bss above the old 64 MiB cap,
// and the kernel's refusals (max_entries 0, an arena without
// BPF_F_MMAPABLE), and unlinked objects named as such.

import { describe, expect, it } from 'vitest';
import { openObject } from './index';
import { LoadError } from '../base/load_error';
import { MapType } from './object';
import { bpfFixtureBytes } from '../../../test/support/bpf';
import { BpfRuntime } from '../runtime/runtime';
import { ArenaMap } from '../runtime/maps/arena';
import { ArrayMap } from '../runtime/maps/array';
import { TestHost, testKernel } from '../runtime/testing/harness';

const SRC = 'test/bpf/loader/production.bpf.c';
// every variant compiles afresh (extra flags skip the up-to-date check), so they never see each other's object
const bytes = (define = 'BASE') => bpfFixtureBytes(SRC, { extra: [`-D${define}`] });

function loadError(define: string): LoadError {
  try {
    openObject(bytes(define), { file: 'prod.bpf.o', kernel: testKernel() });
  } catch (e) {
    if (e instanceof LoadError) return e;
    throw e;
  }
  throw new Error(`expected a LoadError for ${define}`);
}

describe('production objects at load', () => {
  it('an arena declared with __ulong(map_extra), its __arena globals, and a 96 MiB .bss load and run', () => {
    const obj = openObject(bytes(), { file: 'prod.bpf.o', kernel: testKernel() });
    const arena = obj.maps.find((m) => m.name === 'arena')!;
    expect(arena).toMatchObject({ type: MapType.ARENA, maxEntries: 16, keySize: 0, valueSize: 0, mapExtra: 0x1000_0000_0000n });
    // arena_counter = 5 from .addr_space.1
    expect([...arena.initialValue!]).toEqual([5, 0, 0, 0, 0, 0, 0, 0]);
    const bss = obj.maps.find((m) => m.section === '.bss')!;
    expect(bss.valueSize).toBe(96 << 20);

    for (const engine of ['jit', 'interp'] as const) {
      const rt = new BpfRuntime({ object: obj, kernel: testKernel(), host: new TestHost(), engine });
      expect(rt.callProgram('touch', []).ret).toBe(6n);
      const a = rt.mapByName('arena') as ArenaMap;
      expect(a).toBeInstanceOf(ArenaMap);
      expect([...a.read(0, 8)]).toEqual([6, 0, 0, 0, 0, 0, 0, 0]);
      // the last byte of the big .bss was written through the program
      const cell = (rt.maps[bss.index] as ArrayMap).cell(0, 0)!;
      expect(cell.region.bytes[(96 << 20) - 1]).toBe(1);
      expect(cell.region.bytes[0]).toBe(0);
    }
  });

  it('an array map with max_entries 0 is refused, as the kernel refuses to create it', () => {
    const e = loadError('ZERO_ENTRIES');
    expect(e.code).toBe('map_bad');
    expect(e.message).toMatch(/^prod\.bpf\.o, section \.maps, symbol empty: map empty: max_entries is 0; the kernel refuses/);
  });

  it('an arena without BPF_F_MMAPABLE is refused, naming the map', () => {
    const e = loadError('ARENA_NO_MMAP');
    expect(e.code).toBe('map_bad');
    expect(e.message).toMatch(/symbol arena: map arena: an arena must be created with BPF_F_MMAPABLE/);
  });

  it('__arena globals without an arena map: declare it, or link the library that does', () => {
    const e = loadError('GLOBALS_NO_ARENA');
    expect(e.message).toMatch(/section \.addr_space\.1: to use global __arena variables the ARENA map should be explicitly declared/);
    expect(e.message).toMatch(/unlinked object: link it first \(`bpftool gen object/);
  });

  it('a call to a global function defined in another object is reported as an unlinked object with how to link it', () => {
    const e = loadError('UNLINKED');
    expect(e.code).toBe('unlinked');
    expect(e.message).toMatch(/symbol lib_pick_cpu: the object calls lib_pick_cpu, a global function it does not define \(not a __ksym kfunc\): it is an unlinked object/);
    expect(e.message).toMatch(/bpftool gen object sched\.bpf\.o main\.bpf\.o lib\.bpf\.o/);
    expect(e.message).not.toMatch(/the kernel has no kfunc/);
  });

  it('a strong typed kernel symbol the kernel lacks is refused, listing the kernel\'s symbols (not the BTF object\'s own variables)', () => {
    const e = loadError('MISSING_KSYM');
    expect(e.code).toBe('extern_bad');
    expect(e.message).toMatch(/symbol no_such_counter: typed kernel symbol no_such_counter .* is not provided by the simulated kernel \(it has __preempt_count, cpufreq_cpu_data, runqueues\)/);
  });
});

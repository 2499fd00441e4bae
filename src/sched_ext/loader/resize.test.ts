import { describe, expect, it } from 'vitest';
import { openObject, LoadError, type ResizeOptions } from './index';
import { fixtureBytes } from './testing/fixtures';
import { parseResizeArgs } from './resize';
import { simKernel } from './testing/kernel';
import { BpfRuntime } from '../runtime/runtime';
import { TestHost } from '../runtime/testing/harness';
import { BpfFault } from '../vm/fault';
import { ArrayMap } from '../runtime/maps/array';

// bpf_map__set_value_size on RESIZABLE_ARRAY-style sections (test/bpf/loader/resizable.bpf.c).
const open = (resize?: ResizeOptions) => openObject(fixtureBytes('resizable'), { file: 'resizable.bpf.o', kernel: simKernel(), ...(resize ? { resize } : {}) });

function runtime(resize?: ResizeOptions) {
  const obj = open(resize);
  const rt = new BpfRuntime({ object: obj, kernel: simKernel(), host: new TestHost(), engine: 'interp' });
  const run = (prog: string, ...args: number[]) => rt.callProgram(prog, args.map(BigInt)).ret;
  return { obj, rt, run };
}

const loadErr = (resize: ResizeOptions): LoadError => {
  try {
    open(resize);
  } catch (e) {
    if (e instanceof LoadError) return e;
    throw e;
  }
  throw new Error('no LoadError');
};

describe('resizing global data before load (bpf_map__set_value_size)', () => {
  it('without a resize, element 1 of a one-element array faults out of bounds', () => {
    const { run } = runtime();
    expect(run('started_get', 0)).toBe(7n);
    expect(() => run('started_get', 1)).toThrow(BpfFault);
    expect(() => run('started_get', 3)).toThrow(/\.data\.started_at/);
  });

  it('after resizing to 4 elements, element 3 reads and writes; growth is zero-filled, element 0 keeps its initial value', () => {
    const { run, obj } = runtime({ '.data.started_at': 32 });
    expect(run('started_get', 0)).toBe(7n);
    expect(run('started_get', 3)).toBe(0n);
    expect(run('started_set', 3, 99)).toBe(0n);
    expect(run('started_get', 3)).toBe(99n);
    expect(() => run('started_get', 4)).toThrow(BpfFault);
    const map = obj.maps.find((m) => m.section === '.data.started_at')!;
    expect(map.valueSize).toBe(32);
    expect([...map.initialValue!]).toEqual([7, 0, 0, 0, 0, 0, 0, 0, ...new Array(24).fill(0)]);
  });

  it('adjusts BTF like libbpf: a new u64[4] array type, the VAR and DATASEC sizes, the variable view', () => {
    const { obj } = runtime({ started_at: { elements: 4 } });
    const map = obj.maps.find((m) => m.section === '.data.started_at')!;
    const ds = obj.btf.type(map.valueTypeId);
    if (ds.kind !== 'datasec') throw new Error('not a datasec');
    expect(ds.size).toBe(32);
    expect(ds.vars[0]!.size).toBe(32);
    const v = obj.btf.type(ds.vars[0]!.type);
    if (v.kind !== 'var') throw new Error('not a var');
    const arr = obj.btf.resolve(v.type);
    expect(arr).toMatchObject({ kind: 'array', nelems: 4 });
    expect(obj.btf.sizeOf(v.type)).toBe(32);
    expect(obj.globals.find((g) => g.name === 'started_at')).toMatchObject({ size: 32, typeName: expect.stringMatching(/\[4\]/) });
    // the one-element u32 array of the other section keeps its own type
    expect(obj.globals.find((g) => g.name === 'counts')).toMatchObject({ size: 8 });
  });

  it('by section with an element count, .bss too; by variable name after a scalar (offset + n × element size)', () => {
    const { run, obj, rt } = runtime({ '.bss.counts': { elements: 8 }, tail: { elements: 4 } });
    expect(obj.maps.find((m) => m.section === '.bss.counts')!.valueSize).toBe(32);
    expect(run('count_inc', 7)).toBe(1n);
    expect(run('count_inc', 7)).toBe(2n);
    expect(() => run('count_inc', 8)).toThrow(BpfFault);
    expect(obj.maps.find((m) => m.section === '.data.with_head')!.valueSize).toBe(8 + 32);
    const cell = (rt.mapByName('.data.with_head') as ArrayMap).cell(0, 0)!;
    cell.region.view.setBigUint64(8 + 3 * 8, 100n, true);
    expect(run('tail_get', 3)).toBe(100n + 0x1234n + 5n);
    expect(() => run('tail_get', 4)).toThrow(BpfFault);
  });

  it('shrinks: a two-element array cut to one faults at element 1', () => {
    expect(runtime().run('count_inc', 1)).toBe(1n);
    const { run, obj } = runtime({ '.bss.counts': 4 });
    expect(obj.globals.find((g) => g.name === 'counts')).toMatchObject({ size: 4 });
    expect(run('count_inc', 0)).toBe(1n);
    expect(() => run('count_inc', 1)).toThrow(BpfFault);
  });

  it('refuses a size that is not a whole number of elements, naming the section', () => {
    const e = loadErr({ '.data.started_at': 20 });
    expect(e.code).toBe('global_bad');
    expect(e.where.section).toBe('.data.started_at');
    expect(e.message).toMatch(/\.data\.started_at.*8-byte elements/);
    expect(loadErr({ '.data.with_head': 12 }).message).toMatch(/section \.data\.with_head.*starts at byte 8/);
    expect(loadErr({ '.data.with_head': 8 }).message).toMatch(/section \.data\.with_head/);
  });

  it('refuses a section whose last variable is not an array, and names that are not global data', () => {
    const e = loadErr({ '.data.scalar_last': 16 });
    expect(e.where.section).toBe('.data.scalar_last');
    expect(e.message).toMatch(/last variable lone is a u64, not an array/);
    expect(loadErr({ head: { elements: 2 } }).message).toMatch(/head is not the last variable of \.data\.with_head/);
    expect(loadErr({ '.data.nope': 8 }).message).toMatch(/no global data section \.data\.nope.*\.data\.started_at/);
    expect(loadErr({ nope: { elements: 2 } }).message).toMatch(/no global variable named nope/);
    expect(loadErr({ started_at: 32 }).message).toMatch(/cannot resize variable started_at by bytes/);
    expect(loadErr({ started_at: { elements: 0 } }).message).toMatch(/positive integer/);
    expect(loadErr({ started_at: { elements: 2 }, '.data.started_at': 32 }).message).toMatch(/resized twice/);
  });
});

describe('--resize NAME=ELEMENTS', () => {
  it('parses repeatable items into element counts and rejects malformed ones', () => {
    expect(parseResizeArgs(['cpu_started_at=4', '.data.cpu_gimme_task=8'])).toEqual({ cpu_started_at: { elements: 4 }, '.data.cpu_gimme_task': { elements: 8 } });
    expect(parseResizeArgs(undefined)).toEqual({});
    for (const bad of ['x', '=4', 'x=0', 'x=-1', 'x=4k']) expect(() => parseResizeArgs([bad]), bad).toThrow(/--resize expects NAME=ELEMENTS/);
    expect(() => parseResizeArgs(['x=2', 'x=3'])).toThrow(/given twice/);
  });

});

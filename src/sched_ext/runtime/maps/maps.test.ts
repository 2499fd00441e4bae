import { describe, expect, it } from 'vitest';
import { BpfFault } from '../../vm/fault';
import { ENGINES, lineOf, loadProgram } from '../testing/harness';
import { UpdateFlag } from '../errno';

const { ANY, NOEXIST, EXIST } = UpdateFlag;

describe.each(ENGINES)('map semantics (%s)', (engine) => {
  it('array: every element exists; NOEXIST is -EEXIST, past the end -E2BIG, delete -EINVAL', () => {
    const p = loadProgram('maps', engine);
    expect(p.run('arr_lookup', 2)).toBe(0n);
    expect(p.run('arr_update', 2, 77, ANY)).toBe(0n);
    expect(p.run('arr_lookup', 2)).toBe(77n);
    expect(p.run('arr_update', 2, 1, NOEXIST)).toBe(-17n);
    expect(p.run('arr_update', 2, 78, EXIST)).toBe(0n);
    expect(p.run('arr_update', 4, 1, ANY)).toBe(-7n);
    expect(p.run('arr_update', 1, 1, 8)).toBe(-22n);
    expect(p.run('arr_lookup', 4)).toBe(-1n);
    expect(p.run('arr_delete', 1)).toBe(-22n);
  });

  it('hash: NOEXIST/EXIST, -E2BIG when full, -ENOENT on a missing delete', () => {
    const p = loadProgram('maps', engine);
    expect(p.run('hash_update', 1, 10, EXIST)).toBe(-2n);
    expect(p.run('hash_update', 1, 10, NOEXIST)).toBe(0n);
    expect(p.run('hash_update', 1, 11, NOEXIST)).toBe(-17n);
    expect(p.run('hash_update', 1, 12, EXIST)).toBe(0n);
    expect(p.run('hash_update', 2, 20, ANY)).toBe(0n);
    expect(p.run('hash_update', 3, 30, ANY)).toBe(-7n);
    expect(p.run('hash_lookup', 1)).toBe(12n);
    expect(p.run('hash_delete', 1)).toBe(0n);
    expect(p.run('hash_delete', 1)).toBe(-2n);
    expect(p.run('hash_lookup', 1)).toBe(-1n);
    expect(p.run('hash_update', 3, 30, ANY)).toBe(0n);
  });

  it('hash: a pointer to a deleted element faults as use after free', () => {
    const p = loadProgram('maps', engine);
    p.run('hash_update', 5, 50, ANY);
    expect(() => p.run('hash_stale', 5)).toThrow(BpfFault);
    expect(p.rt.diagnostics()).toMatchObject([{ kind: 'use_after_free', line: lineOf('maps', 'MARK:stale') }]);
  });

  it('LRU hash evicts the least recently used key instead of failing', () => {
    const p = loadProgram('maps', engine);
    p.run('lru_update', 1, 10);
    p.run('lru_update', 2, 20);
    expect(p.run('lru_lookup', 1)).toBe(10n); // 1 is now more recent than 2
    expect(p.run('lru_update', 3, 30)).toBe(0n);
    expect(p.run('lru_lookup', 2)).toBe(-1n);
    expect(p.run('lru_lookup', 1)).toBe(10n);
    expect(p.run('lru_lookup', 3)).toBe(30n);
  });

  it('per-CPU array: each CPU sees its own value', () => {
    const p = loadProgram('maps', engine);
    p.host.cpu = 0;
    expect(p.run('pcpu_add', 5)).toBe(5n);
    p.host.cpu = 2;
    expect(p.run('pcpu_add', 7)).toBe(7n);
    p.host.cpu = 0;
    expect(p.run('pcpu_add', 1)).toBe(6n);
  });

  it('queue is FIFO, stack LIFO; full is -E2BIG unless BPF_EXIST drops the oldest; empty is -ENOENT', () => {
    const p = loadProgram('maps', engine);
    for (const stack of [0, 1]) {
      for (const v of [1, 2, 3]) expect(p.run('q_push', v, 0, stack)).toBe(0n);
      expect(p.run('q_push', 4, 0, stack)).toBe(-7n);
      expect(p.run('q_push', 4, EXIST, stack)).toBe(0n);
      const peek = p.run('q_pop', 0, 1, stack);
      const order = [p.run('q_pop', 0, 0, stack), p.run('q_pop', 0, 0, stack), p.run('q_pop', 0, 0, stack)];
      expect(order).toEqual(stack ? [4n, 3n, 2n] : [2n, 3n, 4n]);
      expect(peek).toBe(order[0]);
      expect(p.run('q_pop', 0, 0, stack)).toBe(-2n);
    }
  });

  it('ring buffer: submitted and output records become events, discarded ones do not', () => {
    const p = loadProgram('maps', engine);
    expect(p.run('rb_record', 21, 0)).toBe(0n);
    expect(p.run('rb_record', 22, 1)).toBe(0n);
    expect(p.run('rb_out', 0xabcd)).toBe(0n);
    const recs = p.host.ofKind('ringbuf');
    expect(recs.map((r) => r.map)).toEqual(['rb', 'rb']);
    const first = new DataView(recs[0]!.bytes.buffer, recs[0]!.bytes.byteOffset);
    expect([first.getBigUint64(0, true), first.getBigUint64(8, true)]).toEqual([21n, 42n]);
    expect(recs[1]!.bytes).toEqual(new Uint8Array([0xcd, 0xab, 0, 0]));
  });

  it('task storage: created on demand with F_CREATE, keyed by the host task key, deleted', () => {
    const p = loadProgram('maps', engine);
    const a = p.rt.space.pointer(p.rt.space.alloc('kernel', 'task pid 10', 64), 0);
    const b = p.rt.space.pointer(p.rt.space.alloc('kernel', 'task pid 11', 64), 0);
    p.host.tasks.set(a, 10);
    p.host.tasks.set(b, 11);
    expect(p.run('task_count', a, 0, 0)).toBe(-1n);
    expect(p.run('task_count', a, 0, 1)).toBe(1n);
    expect(p.run('task_count', a, 0, 0)).toBe(2n);
    expect(p.run('task_count', b, 0, 1)).toBe(1n);
    expect(p.rt.mapByName('tstore')!.cells().map((c) => c.label())).toEqual(['map tstore[pid 10]', 'map tstore[pid 11]']);
    expect(p.run('task_count', a, 1, 0)).toBe(0n);
    expect(p.run('task_count', a, 1, 0)).toBe(-2n);
    expect(p.run('task_count', a, 0, 0)).toBe(-1n);
  });

  it('array of maps: a lookup yields the inner map, usable with the map helpers', () => {
    const p = loadProgram('maps', engine);
    expect(p.run('outer_set', 0, 5)).toBe(5n);
    expect(p.run('outer_set', 1, 6)).toBe(6n);
    expect(p.run('outer_set', 2, 1)).toBe(-1n);
    expect(p.cell('inner_a').region.view.getBigUint64(0, true)).toBe(5n);
    expect(p.cell('inner_b').region.view.getBigUint64(0, true)).toBe(6n);
  });
});

import { describe, expect, it } from 'vitest';
import { assemble } from '../asm/assembler';
import { BpfFault } from './fault';
import { AddressSpace } from './memory';
import { createVm } from './index';

describe('a freed region', () => {
  it('lets its bytes go but still faults as use-after-free, naming the region', () => {
    const space = new AddressSpace();
    const keep = space.alloc('heap', 'obj 1 (struct node)', 32);
    const gone = space.alloc('heap', 'obj 2 (struct node)', 32);
    keep.bytes.fill(7);
    const ptr = space.pointer(gone, 8);
    space.free(gone);
    expect(gone.bytes.length).toBe(0);
    expect(gone.view.byteLength).toBe(0);
    // the neighbour on the same slab is untouched
    expect([...keep.bytes]).toEqual(new Array(32).fill(7));
    let err: unknown;
    try {
      space.readU64(ptr);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BpfFault);
    expect((err as BpfFault).kind).toBe('freed');
    expect((err as BpfFault).message).toContain('obj 2 (struct node) after it was freed');
  });

  for (const engine of ['jit', 'interp'] as const) {
    it(`faults in the ${engine} on a load through a stale pointer`, () => {
      const vm = createVm({ engine, natives: { helper: () => undefined, kfunc: () => undefined } });
      const prog = vm.load({ name: 'stale', section: 'bench', insns: assemble('ldxdw %r0, [%r1+8]\nexit'), lineInfo: [], funcInfo: [], poisoned: new Map(), sleepable: false });
      const region = vm.space.alloc('heap', 'obj 3 (struct node)', 16);
      const ptr = vm.space.pointer(region, 0);
      expect(vm.call(prog, [ptr])).toBe(0n);
      vm.space.free(region);
      expect(() => vm.call(prog, [ptr])).toThrow(/obj 3 \(struct node\) after it was freed/);
    });
  }
});

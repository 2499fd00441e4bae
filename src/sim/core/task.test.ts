import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AddressSpace } from '../../sched_ext/vm/memory';
import { createKernelEnv } from '../kernel/kernel_env';
import { kernelLayout } from '../kernel/layout';
import { KernelMemory } from '../kernel/kernel_memory';
import { SimTask } from './task';
import { SLICE_INF } from '../kernel/consts';

describe('SimTask slice fast paths agree with the u64 in task_struct', () => {
  const mem = new KernelMemory(new AddressSpace(), kernelLayout(createKernelEnv().btf));
  const region = mem.allocTask({ pid: 1, comm: 't', nice: 0, weight: 100 }, null);
  const p = new SimTask(1, 't', 100, 0, region, mem.pointer(region), mem.layout.task, 4);

  it('chargeSlice is slice -= min(slice, dt), and SCX_SLICE_INF stays', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constant(SLICE_INF), fc.bigInt({ min: 0n, max: 1n << 41n })), fc.integer({ min: 0, max: 2 ** 40 }), (slice, dt) => {
        p.slice = slice;
        p.chargeSlice(dt);
        const expected = slice === SLICE_INF ? SLICE_INF : slice > BigInt(dt) ? slice - BigInt(dt) : 0n;
        expect(p.slice).toBe(expected);
        expect(p.sliceEmpty()).toBe(expected === 0n);
        expect(p.sliceNs()).toBe(expected < 2n ** 53n ? Number(expected) : Infinity);
      }),
    );
  });
});

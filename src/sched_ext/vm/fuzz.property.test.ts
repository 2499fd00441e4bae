// Robustness: arbitrary instruction words (biased toward real opcodes) either
// fail to load with a BpfFault('bad_insn') or run to an r0 or a BpfFault —
// never another exception, never a hang — and both engines agree on which.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineKind, NativeTable } from './abi';
import { BpfFault } from './fault';
import { createVm } from './index';
import { image } from './testing/images';

const OPCODES = [
  0x04, 0x07, 0x0c, 0x0f, 0x14, 0x17, 0x1c, 0x1f, 0x24, 0x27, 0x2c, 0x2f, 0x34, 0x37, 0x3c, 0x3f, 0x44, 0x47, 0x4c, 0x4f,
  0x54, 0x57, 0x5c, 0x5f, 0x64, 0x67, 0x6c, 0x6f, 0x74, 0x77, 0x7c, 0x7f, 0x84, 0x87, 0x94, 0x97, 0x9c, 0x9f, 0xa4, 0xa7,
  0xac, 0xaf, 0xb4, 0xb7, 0xbc, 0xbf, 0xc4, 0xc7, 0xcc, 0xcf, 0xd4, 0xd7, 0xdc, 0x05, 0x06, 0x15, 0x1d, 0x16, 0x1e, 0x25,
  0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x55, 0x5d, 0x65, 0x6d, 0x75, 0x7d, 0xa5, 0xad, 0xb5, 0xbd, 0xc5, 0xcd, 0xd5, 0xdd, 0x85,
  0x8d, 0x95, 0xe5, 0x18, 0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91, 0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b, 0xc3, 0xdb,
];

const word = fc.record({
  op: fc.oneof({ arbitrary: fc.constantFrom(...OPCODES), weight: 9 }, { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 1 }),
  regs: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 0xaa }), weight: 9 }, { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 1 }),
  off: fc.oneof(fc.integer({ min: -4, max: 8 }), fc.integer({ min: -32768, max: 32767 })),
  imm: fc.oneof(fc.integer({ min: -4, max: 70 }), fc.constantFrom(0x00, 0x01, 0x40, 0xe1, 0xf1, 5, 16, 32, 64), fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff })),
});

const natives: NativeTable = {
  helper: (id) => (id === 1 ? { name: 'one', fn: (env) => env.arg(1) ^ env.arg(2) } : undefined),
  kfunc: () => undefined,
};

function outcome(engine: EngineKind, bytes: Uint8Array): string {
  const vm = createVm({ engine, natives, budget: 300 });
  let prog;
  try {
    prog = vm.load(image(bytes));
  } catch (e) {
    expect(e).toBeInstanceOf(BpfFault);
    expect((e as BpfFault).kind).toBe('bad_insn');
    return `load: ${(e as BpfFault).site.insn}`;
  }
  const scratch = vm.space.alloc('map_value', 'scratch', 64);
  try {
    const r0 = vm.call(prog, [vm.space.pointer(scratch, 8), 7n]);
    return `r0 ${r0} after ${vm.lastInsnCount} ${Buffer.from(scratch.bytes).toString('hex')}`;
  } catch (e) {
    if (!(e instanceof BpfFault)) throw e;
    return `${e.kind} at ${e.site.insn} after ${vm.lastInsnCount} ${Buffer.from(scratch.bytes).toString('hex')}`;
  }
}

describe('arbitrary instruction streams', () => {
  it('load or run to a result or a BpfFault, the same in both engines', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 24 }), (words) => {
        const bytes = new Uint8Array(words.length * 8);
        const v = new DataView(bytes.buffer);
        words.forEach((w, i) => {
          bytes[i * 8] = w.op;
          bytes[i * 8 + 1] = w.regs;
          v.setInt16(i * 8 + 2, w.off, true);
          v.setInt32(i * 8 + 4, w.imm, true);
        });
        const o = outcome('jit', bytes);
        expect(o).toBe(outcome('interp', bytes));
        kinds.add(o.split(' ')[0]!);
      }),
      { numRuns: 1500, seed: 7 },
    );
    // The stream generator must reach past the decoder into execution.
    expect([...kinds]).toEqual(expect.arrayContaining(['load:', 'r0', 'budget', 'out_of_bounds', 'bad_call']));
  });
});

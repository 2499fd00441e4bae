// The instruction templates are shared by both engines, so engine agreement
// alone cannot catch a wrong template. This test checks them against an
// independent model of RFC 9669 written with BigInt (slow and obvious), on
// random straight-line ALU/ALU64/byte-swap programs over random registers.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVm } from './index';
import { ALU, CLS, LDDW, SRC_X } from './opcodes';
import { image } from './testing/images';

const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const u32 = (x: bigint): bigint => BigInt.asUintN(32, x);
const s32 = (x: bigint): bigint => BigInt.asIntN(32, x);

function bswap(x: bigint, bits: number): bigint {
  let out = 0n;
  for (let i = 0; i < bits / 8; i++) out = (out << 8n) | ((x >> BigInt(i * 8)) & 0xffn);
  return out;
}

interface Insn { op: number; d: number; s: number; off: number; imm: number }

/** RFC 9669 §4.1–4.2, one instruction, on unsigned 64-bit register values. */
function reference(r: bigint[], i: Insn): void {
  const cls = i.op & 7, code = i.op & 0xf0, x = (i.op & SRC_X) !== 0;
  if (cls === CLS.ALU64) {
    const a = r[i.d]!;
    const b = x ? r[i.s]! : u64(BigInt(i.imm));
    const sh = b & 63n;
    const v: Record<number, () => bigint> = {
      [ALU.ADD]: () => a + b, [ALU.SUB]: () => a - b, [ALU.MUL]: () => a * b,
      [ALU.DIV]: () => (b === 0n ? 0n : i.off === 1 ? s64(a) / s64(b) : a / b),
      [ALU.MOD]: () => (b === 0n ? a : i.off === 1 ? s64(a) % s64(b) : a % b),
      [ALU.OR]: () => a | b, [ALU.AND]: () => a & b, [ALU.XOR]: () => a ^ b,
      [ALU.LSH]: () => a << sh, [ALU.RSH]: () => a >> sh, [ALU.ARSH]: () => s64(a) >> sh, [ALU.NEG]: () => -a,
      [ALU.MOV]: () => (i.off === 0 ? b : BigInt.asIntN(i.off, b)),
      [ALU.END]: () => bswap(a, i.imm),
    };
    r[i.d] = u64(v[code]!());
    return;
  }
  const a = u32(r[i.d]!);
  const b = x ? u32(r[i.s]!) : u32(BigInt(i.imm));
  const sh = b & 31n;
  if (code === ALU.END) {
    const full = r[i.d]!;
    if (!x) r[i.d] = i.imm === 64 ? full : i.imm === 32 ? u32(full) : full & 0xffffn;
    else r[i.d] = i.imm === 64 ? bswap(full, 64) : bswap(full, i.imm);
    return;
  }
  const v: Record<number, () => bigint> = {
    [ALU.ADD]: () => a + b, [ALU.SUB]: () => a - b, [ALU.MUL]: () => a * b,
    [ALU.DIV]: () => (b === 0n ? 0n : i.off === 1 ? s32(a) / s32(b) : a / b),
    [ALU.MOD]: () => (b === 0n ? a : i.off === 1 ? s32(a) % s32(b) : a % b),
    [ALU.OR]: () => a | b, [ALU.AND]: () => a & b, [ALU.XOR]: () => a ^ b,
    [ALU.LSH]: () => a << sh, [ALU.RSH]: () => a >> sh, [ALU.ARSH]: () => s32(a) >> sh, [ALU.NEG]: () => -a,
    [ALU.MOV]: () => (i.off === 0 ? b : BigInt.asIntN(i.off, b)),
  };
  r[i.d] = u32(v[code]!());
}

const reg = fc.integer({ min: 0, max: 9 });
const insn: fc.Arbitrary<Insn> = fc.oneof(
  fc.tuple(fc.boolean(), fc.constantFrom(ALU.ADD, ALU.SUB, ALU.MUL, ALU.DIV, ALU.OR, ALU.AND, ALU.LSH, ALU.RSH, ALU.NEG, ALU.MOD, ALU.XOR, ALU.MOV, ALU.ARSH),
    fc.boolean(), reg, reg, fc.oneof(fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }), fc.integer({ min: -70, max: 70 })), fc.integer({ min: 0, max: 3 }))
    .map(([is64, code, x0, d, s, imm, variant]) => {
      const x = code === ALU.NEG ? false : x0;
      let off = 0;
      if (code === ALU.DIV || code === ALU.MOD) off = variant & 1;
      if (code === ALU.MOV && x) off = [0, 8, 16, is64 ? 32 : 0][variant]!;
      return { op: (is64 ? CLS.ALU64 : CLS.ALU) | code | (x ? SRC_X : 0), d, s: x ? s : 0, off, imm: x || code === ALU.NEG ? 0 : imm };
    }),
  fc.tuple(fc.constantFrom(CLS.ALU | ALU.END, CLS.ALU | ALU.END | SRC_X, CLS.ALU64 | ALU.END), reg, fc.constantFrom(16, 32, 64))
    .map(([op, d, imm]) => ({ op, d, s: 0, off: 0, imm })),
);
const value = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: 300n }),
  fc.constantFrom(0x8000_0000_0000_0000n, 0xffff_ffff_ffff_ffffn, 0x8000_0000n, 0xffff_ffffn));

function encode(init: bigint[], body: Insn[]): Uint8Array {
  const out = new Uint8Array((init.length * 2 + body.length + 1) * 8);
  const v = new DataView(out.buffer);
  let at = 0;
  const put = (op: number, d: number, s: number, off: number, imm: number): void => {
    out[at] = op;
    out[at + 1] = (s << 4) | d;
    v.setInt16(at + 2, off, true);
    v.setInt32(at + 4, imm, true);
    at += 8;
  };
  init.forEach((x, r) => {
    put(LDDW, r, 0, 0, Number(BigInt.asIntN(32, x)));
    put(0, 0, 0, 0, Number(BigInt.asIntN(32, x >> 32n)));
  });
  for (const i of body) put(i.op, i.d, i.s, i.off, i.imm);
  put(0x95, 0, 0, 0, 0);
  return out;
}

describe('ALU semantics match a BigInt model of RFC 9669', () => {
  it('on random straight-line programs (interpreter registers r0..r9)', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 10, maxLength: 10 }), fc.array(insn, { minLength: 1, maxLength: 12 }), (init, body) => {
        const expected = [...init];
        for (const i of body) reference(expected, i);
        const vm = createVm({ engine: 'interp', natives: { helper: () => undefined, kfunc: () => undefined } });
        const s = vm.stepper(vm.load(image(encode(init, body))), []);
        s.run();
        expect(s.regs.slice(0, 10)).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });
});

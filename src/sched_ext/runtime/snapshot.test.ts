import { describe, expect, it } from 'vitest';
import { int64Text } from './snapshot';
import { mulberry32 } from '../../base/prng';

describe('int64Text (keyframe field values)', () => {
  const v = new DataView(new ArrayBuffer(16));
  const check = (bits: bigint): void => {
    v.setBigUint64(4, BigInt.asUintN(64, bits), true); // an unaligned offset, as struct members can be
    expect(int64Text(v, 4, false)).toBe(String(v.getBigUint64(4, true)));
    expect(int64Text(v, 4, true)).toBe(String(v.getBigInt64(4, true)));
  };

  it('writes what String(bigint) writes at the edges of the number path', () => {
    const edges = [0n, 1n, 0xffff_ffffn, 1n << 32n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n];
    for (const e of edges) {
      check(e);
      check(-e);
    }
    for (const near of [-(1n << 53n), -(1n << 53n) - 1n, -(1n << 53n) + 1n, -(1n << 32n), -1n]) check(near);
  });

  it('writes what String(bigint) writes for random 64-bit patterns of every magnitude', () => {
    const rand = mulberry32(7);
    const u32 = (): bigint => BigInt(Math.floor(rand() * 2 ** 32));
    for (let i = 0; i < 5000; i++) {
      const bits = (u32() << 32n) | u32();
      check(bits >> BigInt(i % 64)); // shifted down so small and mid-sized values come up too
    }
  });
});

import { describe, expect, it } from 'vitest';
import { ENGINES, loadProgram, type Loaded } from './testing/harness';

function setWords(p: Loaded, words: bigint[]): void {
  const g = p.obj.globals.find((x) => x.name === 'words')!;
  const view = p.rt.maps[g.mapIndex]!.cells()[0]!.region.view;
  for (let i = 0; i < 8; i++) view.setBigUint64(g.offset + 8 * i, words[i] ?? 0n, true);
}

function bitsOf(words: bigint[]): number[] {
  const out: number[] = [];
  words.forEach((w, i) => {
    for (let b = 0; b < 64; b++) if ((w >> BigInt(b)) & 1n) out.push(i * 64 + b);
  });
  return out;
}

describe.each(ENGINES)('bpf_iter_bits (%s)', (engine) => {
  it('visits the set bits of one word, lowest first', () => {
    const p = loadProgram('iter_bits', engine);
    const words = [0x8000_0000_0001_0f05n];
    setWords(p, words);
    const want = bitsOf(words);
    expect(p.run('collect', 1)).toBe(BigInt(want.length));
    expect(Array.from({ length: want.length }, (_, i) => Number(p.g64('bits_out', i)))).toEqual(want);
    expect(want).toEqual([0, 2, 8, 9, 10, 11, 16, 63]);
  });

  it('walks several words as one bitmap (a 256-CPU cpumask)', () => {
    const p = loadProgram('iter_bits', engine);
    const words = [0n, 0x3n, 1n << 40n, 0xf000_0000_0000_0000n];
    setWords(p, words);
    const want = bitsOf(words);
    expect(p.run('collect', 4)).toBe(BigInt(want.length));
    expect(Array.from({ length: want.length }, (_, i) => Number(p.g64('bits_out', i)))).toEqual(want);
    expect(want).toEqual([64, 65, 168, 252, 253, 254, 255]);
    // only the words asked for
    expect(p.run('collect', 2)).toBe(2n);
    expect(p.run('collect', 8)).toBe(7n);
  });

  it('iterates a copy taken by new()', () => {
    const p = loadProgram('iter_bits', engine);
    setWords(p, [0xffn, 0x1n]);
    expect(p.run('snapshot')).toBe(9n);
    expect(p.run('collect', 2)).toBe(0n); // the body cleared the source
  });

  it('new() rejects NULL, zero and too many words; next() then ends at once', () => {
    const p = loadProgram('iter_bits', engine);
    setWords(p, [0x10n]);
    expect(p.run('raw_new', 1, 1)).toBe(4n);
    expect(p.g64('new_ret')).toBe(0n);
    expect(p.run('raw_new', 0, 1)).toBe(-1000n);
    expect(p.g64('new_ret')).toBe(-22n); // -EINVAL
    expect(p.run('raw_new', 1, 0)).toBe(-1000n);
    expect(p.g64('new_ret')).toBe(-22n);
    expect(p.run('raw_new', 1, 512)).toBe(-1000n);
    expect(p.g64('new_ret')).toBe(-7n); // -E2BIG: more than BITS_ITER_NR_WORDS_MAX
    // 511 words would read past `words` (a 64-byte global): -EFAULT, not a fault
    expect(p.run('raw_new', 1, 511)).toBe(-1000n);
    expect(p.g64('new_ret')).toBe(-14n);
    expect(p.rt.diagnostics()).toEqual([]);
  });
});

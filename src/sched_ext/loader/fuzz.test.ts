import { describe, expect, it } from 'vitest';
import { fixtureBytes } from './testing/fixtures';
import { simKernel } from './testing/kernel';
import { fuzzCase, mutate } from './testing/mutate';

// Mutation fuzzing: byte flips, 32-bit overwrites with boundary values and
// truncations of real objects. Only a successful load or a LoadError may come
// out (fuzzCase throws otherwise, naming the seed to replay with
// `npm run fuzz -- --fixture NAME --seed N`). More cases: `npm run fuzz`.
const CASES: [string, number][] = [
  ['btf_kinds', 1200],
  ['core', 900],
  ['sched', 900],
];

describe('mutation fuzzing of loader fixtures', () => {
  it('mutations really change the input (or truncate it)', () => {
    const fx = fixtureBytes('btf_kinds');
    let changed = 0;
    for (let s = 0; s < 50; s++) {
      const m = mutate(fx, s);
      if (m.length !== fx.length || m.some((b, i) => b !== fx[i])) changed++;
    }
    expect(changed).toBeGreaterThanOrEqual(48);
  });

  it.each(CASES)('%s: %i mutated objects load or give a LoadError', (name, n) => {
    const fx = fixtureBytes(name);
    const kernel = simKernel();
    const seen = { loaded: 0, load_error: 0 };
    for (let seed = 0; seed < n; seed++) seen[fuzzCase(fx, seed, kernel, `${name}.bpf.o`)]++;
    // both outcomes occur: the mutations reach past the ELF header checks
    expect(seen.loaded).toBeGreaterThan(n / 10);
    expect(seen.load_error).toBeGreaterThan(n / 10);
  });
});

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseVector, runConformance, runVector } from './conformance';

const DIR = '/work/shared/conformance/tests';

describe.skipIf(!existsSync(DIR))('bpf_conformance vectors', () => {
  for (const engine of ['interp', 'jit'] as const) {
    it(`all 313 pass in the ${engine}`, () => {
      const report = runConformance(DIR, engine);
      expect(report.failures).toEqual([]);
      expect(report.passed).toBe(313);
    });
  }

  it('reports a wrong r0 as a failure (the runner can fail)', () => {
    const v = parseVector('t.data', '-- asm\nmov %r0, 1\nexit\n-- result\n0x2\n');
    expect(runVector(v, 'interp')).toMatch(/r0 = 0x1, expected 0x2/);
    expect(runVector(v, 'jit')).toMatch(/r0 = 0x1, expected 0x2/);
  });

  it('passes r1 = input memory and r2 = its length', () => {
    const v = parseVector('t.data', '-- asm\nldxb %r0, [%r1+3]\nadd %r0, %r2\nexit\n-- mem\n00 00 00 07 00\n-- result\n12\n');
    expect(runVector(v, 'interp')).toBeUndefined();
    expect(runVector(v, 'jit')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { Btf } from '../../btf/btf';
import { fanOut } from '../../btf/testing/hostile';
import { typesCompat, typesMatch } from './match';

describe('CO-RE type comparisons on hostile BTF', () => {
  it('stay bounded on a function prototype that fans out 50 ways at every level', () => {
    const b = Btf.parse(fanOut());
    expect(typesCompat(b, 3, b, 3)).toBe(true);
    expect(typesMatch(b, 3, b, 3)).toBe(true);
  });
});

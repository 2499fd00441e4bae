import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathPolicy } from './path_policy';

describe('browser host path policy', () => {
  const root = mkdtempSync(join(tmpdir(), 'scxray-policy-'));
  const allowed = join(root, 'work');
  const outside = join(root, 'secret');
  mkdirSync(join(allowed, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(allowed, 'sub', 'a.bpf.o'), 'x');
  writeFileSync(join(outside, 'key'), 'x');
  symlinkSync(join(outside, 'key'), join(allowed, 'link-out'));
  symlinkSync(outside, join(allowed, 'dir-out'));
  const allow = pathPolicy([allowed]);

  it('opens files under the allowed directories, present or not', () => {
    expect(allow(join(allowed, 'sub', 'a.bpf.o'))).toBe(true);
    expect(allow(join(allowed, 'missing.bpf.o'))).toBe(true);
  });

  it('refuses paths outside, including ../ escapes and a sibling with the same prefix', () => {
    expect(allow(join(outside, 'key'))).toBe(false);
    expect(allow(join(allowed, '..', 'secret', 'key'))).toBe(false);
    expect(allow(`${allowed}-other/x`)).toBe(false);
    expect(allow('/etc/passwd')).toBe(false);
  });

  it('refuses symlinks whose target is outside', () => {
    expect(allow(join(allowed, 'link-out'))).toBe(false);
    expect(allow(join(allowed, 'dir-out', 'key'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { Btf } from '../btf/btf';
import { ElfFile } from '../elf/elf';
import { fillEnumConsts } from './rodata_fill';
import type { GlobalVar, MapSpec } from './object';
import { MapType } from './object';
import { fixtureBytes } from './testing/fixtures';

// Like upstream SCX_ENUM_INIT: weak `const volatile u64 __X` in .rodata takes
// the kernel enumerator X; an __SCX_* the kernel lacks stays 0 with a warning.
describe('fillEnumConsts', () => {
  const kernel = Btf.parse(ElfFile.parse(fixtureBytes('core_target')).section('.BTF')!.data);
  const v = (name: string, offset: number): GlobalVar => ({ name, section: '.rodata', mapIndex: 0, offset, size: 8, typeId: 0, typeName: 'const volatile u64', readonly: true });
  const map = (): MapSpec => ({ index: 0, name: '.rodata', origin: 'global', type: MapType.ARRAY, keySize: 4, valueSize: 32, maxEntries: 1, flags: 0, keyTypeId: 0, valueTypeId: 0, initialValue: new Uint8Array(32), section: '.rodata' });
  const u64 = (m: MapSpec, off: number) => new DataView(m.initialValue!.buffer).getBigUint64(off, true);

  it('fills weak __ENUMERATOR constants (including 64-bit values) and warns about unfilled __SCX_* ones', () => {
    const m = map();
    const globals = [v('__CORE_E_ONE', 0), v('__CORE_E_BIG', 8), v('__SCX_NOT_IN_KERNEL', 16), v('__CORE_E_ONE_STRONG', 24)];
    const warnings = fillEnumConsts(globals, [m], kernel, new Set(['__CORE_E_ONE', '__CORE_E_BIG', '__SCX_NOT_IN_KERNEL']));
    expect(u64(m, 0)).toBe(10n);
    expect(u64(m, 8)).toBe(0x123456789n);
    expect(u64(m, 16)).toBe(0n);
    expect(warnings).toEqual(['the kernel BTF has no enumerator for __SCX_NOT_IN_KERNEL; these constants read 0']);
  });

  it('leaves strong (non-weak) variables alone: only the headers’ weak constants are the loader’s to fill', () => {
    const m = map();
    m.initialValue![0] = 7;
    fillEnumConsts([v('__CORE_E_ONE', 0)], [m], kernel, new Set());
    expect(u64(m, 0)).toBe(7n);
  });
});

// The one --set parser on every C type a knob can have (test/bpf/setup/
// types.bpf.c): widths and signedness checked against the type, bool,
// enumerator names, bitfields written in place without touching their
// neighbours, char[] strings, paths through arrays of structs; and the
// settable leaves the UI lists.

import { describe, expect, it } from 'vitest';
import { bpfFixtureBytes } from '../../../test/support/bpf';
import { openObject } from './index';
import { parseGlobalSets, settableLeaves } from './global_set';
import { readTyped } from '../btf/typed_value';
import { simKernel } from './testing/kernel';
import type { LoadedObject } from './object';

const bytes = bpfFixtureBytes('test/bpf/setup/types.bpf.c');
const open = (items: string[]) => openObject(bytes, { file: 'types.bpf.o', kernel: simKernel(), globalSets: parseGlobalSets(items) });
const value = (o: LoadedObject, name: string) => {
  const g = o.globals.find((x) => x.name === name)!;
  return readTyped(o.btf, o.maps[g.mapIndex]!.initialValue!, { typeId: g.typeId, offset: g.offset, label: name });
};

describe('--set by BTF type', () => {
  it('writes signed, unsigned, bool and enum values within their ranges', () => {
    const o = open(['tiny=-128', 'word=0xffff', 'enabled=true', 'mode=MODE_BIG']);
    expect(value(o, 'tiny')).toBe(-128);
    expect(value(o, 'word')).toBe(65535);
    expect(value(o, 'enabled')).toBe(true);
    expect(value(o, 'mode')).toBe(200);
    expect(() => open(['tiny=128'])).toThrow(/128 is out of range: tiny is a s8 \(-128 to 127\)/);
    expect(() => open(['word=65536'])).toThrow(/65536 is out of range: word is a u16 \(0 to 65535\)/);
    expect(() => open(['enabled=2'])).toThrow(/2 is out of range: enabled is a bool \(0 to 1\)/);
    expect(() => open(['mode=MODE_NONE'])).toThrow(/"MODE_NONE" is not an integer; mode is a enum mode/);
  });

  it('writes a bitfield in place, keeping its neighbours, and checks the bitfield width', () => {
    const o = open(['flags.mid=-16', 'flags.hi=16777215']);
    expect(value(o, 'flags')).toEqual({ lo: 1, mid: -16, hi: 16777215 });
    expect(() => open(['flags.lo=8'])).toThrow(/8 is out of range: flags\.lo is a 3-bit u32 bitfield \(0 to 7\)/);
    expect(() => open(['flags.mid=-17'])).toThrow(/-17 is out of range: flags\.mid is a 5-bit s32 bitfield \(-16 to 15\)/);
  });

  it('writes char[] strings with their NUL and zeroes the rest', () => {
    expect(value(open(['label=xy']), 'label')).toBe('xy');
    expect(value(open(['label=1234567']), 'label')).toBe('1234567');
    expect(() => open(['label=12345678'])).toThrow(/needs 9 bytes with its NUL; char\[8\] holds 8/);
  });

  it('walks arrays of structs', () => {
    const o = open(['doms[1].cpus[1]=18446744073709551615', 'doms[0].bias=-3', 'doms[1].on=1', 'doms[1].id=7']);
    expect(value(o, 'doms')).toEqual([
      { id: 0, bias: -3, on: false, cpus: [0n, 0n] },
      { id: 7, bias: 0, on: true, cpus: [0n, 18446744073709551615n] },
    ]);
    expect(() => open(['doms[2].id=1'])).toThrow(/index 2 is out of bounds \(doms is dom\[2\]|index 2 is out of bounds \(doms is struct dom\[2\]/);
    expect(() => open(['doms[0].cpus=1'])).toThrow(/a whole u64\[2\] cannot be set from one value; set one element, e\.g\. --set 'doms\[0\]\.cpus\[0\]=1'/);
  });

  it('lists the settable leaves of compound knobs with their initial values, for the UI', () => {
    const o = open([]);
    const g = (n: string) => o.globals.find((x) => x.name === n)!;
    const leaves = (n: string) => settableLeaves(o.btf, g(n), o.maps[g(n).mapIndex]!.initialValue);
    expect(leaves('tiny')).toBeUndefined();
    expect(leaves('label')).toBeUndefined();
    // bitfields are not listed (the panel writes whole members)
    expect(leaves('flags')).toEqual([]);
    expect(leaves('doms')!.map((l) => `${l.path}=${l.initial} (${l.typeName})`)).toEqual([
      'doms[0].id=0 (u16)', 'doms[0].bias=0 (s8)', 'doms[0].on=false (bool)', 'doms[0].cpus[0]=0 (u64)', 'doms[0].cpus[1]=0 (u64)',
      'doms[1].id=0 (u16)', 'doms[1].bias=0 (s8)', 'doms[1].on=false (bool)', 'doms[1].cpus[0]=0 (u64)', 'doms[1].cpus[1]=0 (u64)',
    ]);
  });
});

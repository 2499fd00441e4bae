import { describe, expect, it, beforeAll } from 'vitest';
import { Btf } from './btf';
import { specialFields } from './special_fields';
import { ElfFile } from '../elf/elf';
import { bpfFixtureBytes } from '../../../test/support/bpf';
import { LoadError } from '../base/load_error';
import { fanOut } from './testing/hostile';

// The loader's fixtures (test/bpf/loader), built on demand.
const fixtureBytes = (name: string) => bpfFixtureBytes(`test/bpf/loader/${name}.bpf.c`);

let btf: Btf;
beforeAll(() => {
  const elf = ElfFile.parse(fixtureBytes('btf_kinds'), 'btf_kinds.bpf.o');
  btf = Btf.parse(elf.section('.BTF')!.data);
});

describe('Btf on a clang-built object', () => {
  it('decodes every kind clang emits for the fixture', () => {
    const kinds = new Set(btf.types.map((t) => t.kind));
    for (const k of ['int', 'ptr', 'array', 'struct', 'union', 'enum', 'enum64', 'fwd', 'typedef', 'volatile', 'const', 'restrict', 'func', 'func_proto', 'var', 'datasec', 'float', 'decl_tag', 'type_tag']) {
      expect(kinds, k).toContain(k);
    }
  });

  it('resolves typedef/const/volatile chains and sizes', () => {
    const cv = btf.findByName('cvu64', 'typedef')!;
    expect(btf.resolve(cv.id)).toMatchObject({ kind: 'int', name: 'unsigned long long', size: 8 });
    expect(btf.sizeOf(btf.findByName('everything', 'struct')!.id)).toBe(224);
    expect(btf.cName(cv.id)).toBe('cvu64');
    expect(btf.cName(btf.resolve(cv.id).id)).toBe('unsigned long long');
  });

  it('reports bitfield members with bit offsets and sizes (kind_flag encoding)', () => {
    const fl = btf.findByName('flags', 'struct')!;
    const ms = btf.members(fl.id);
    expect(ms.map((m) => [m.name, m.bitOffset, m.bitfieldSize])).toEqual([
      ['a', 0, 3],
      ['b', 3, 5],
      ['c', 8, 12],
      ['tail', 24, 0],
    ]);
  });

  it('walks dotted member paths through nested structs', () => {
    const p = btf.memberPath('everything', 'nested.timer');
    expect(p.offset).toBe(btf.memberPath('everything', 'nested').offset + 16);
    expect(p.size).toBe(16);
    expect(btf.memberPath('everything', 'fl.c')).toMatchObject({ bitfieldSize: 12, size: 2 });
    expect(() => btf.memberPath('everything', 'nested.nope')).toThrow(/no member 'nested.nope'/);
  });

  it('reads enum and enum64 values with their signedness', () => {
    const small = btf.findByName('small')!;
    expect(small.kind === 'enum' && small.values).toEqual([
      { name: 'SMALL_A', value: 1n },
      { name: 'SMALL_NEG', value: -2n },
    ]);
    const big = btf.findByName('big')!;
    expect(big.kind).toBe('enum64');
    expect(big.kind === 'enum64' && big.values[0]!.value).toBe(0x100000000n);
  });

  it('reads type tags on kptr pointers and decl tags on members and types', () => {
    const stash = btf.findByName('stash', 'struct')!;
    const [ptr, raw] = btf.members(stash.id);
    expect(btf.typeTags(ptr!.type)).toEqual(['kptr']);
    expect(btf.typeTags(raw!.type)).toEqual(['kptr_untrusted']);
    const every = btf.findByName('everything', 'struct')!;
    const rootIdx = btf.members(every.id).findIndex((m) => m.name === 'root');
    expect(btf.declTags(every.id, rootIdx)).toEqual(['contains:node_data:node']);
    expect(btf.declTags(every.id)).toEqual(['everything_tag']);
    expect(btf.declTags(btf.findByName('helper_fn', 'func')!.id)).toEqual(['fn_tag']);
  });

  it('spells function pointers and arrays in C', () => {
    const every = btf.findByName('everything', 'struct')!;
    const fn = btf.members(every.id).find((m) => m.name === 'fn')!;
    expect(btf.cName(fn.type)).toBe('u64 (*)(int, struct node_data *)');
    const name = btf.members(every.id).find((m) => m.name === 'name')!;
    expect(btf.cName(name.type)).toBe('char [16]');
    expect(btf.dumpC()).toContain('struct flags {\n\tu32 a: 3;');
  });
});

describe('specialFields like btf_parse_fields', () => {
  it('finds kptrs, graph roots with contains:, locks and timers, flattening nested structs and arrays', () => {
    const every = btf.findByName('everything', 'struct')!;
    const fields = specialFields(btf, every.id);
    const nodeData = btf.findByName('node_data', 'struct')!;
    const stashOff = btf.memberPath('everything', 'stashes').offset;
    expect(fields.map((f) => [f.kind, f.name])).toEqual([
      ['kptr', 'nested.ptr'],
      ['kptr', 'nested.raw'],
      ['timer', 'nested.timer'],
      ['kptr', 'stashes[0].ptr'],
      ['kptr', 'stashes[0].raw'],
      ['timer', 'stashes[0].timer'],
      ['kptr', 'stashes[1].ptr'],
      ['kptr', 'stashes[1].raw'],
      ['timer', 'stashes[1].timer'],
      ['spin_lock', 'lock'],
      ['rb_root', 'root'],
      ['list_head', 'head'],
    ]);
    const second = fields.find((f) => f.name === 'stashes[1].ptr')!;
    expect(second.offset).toBe(stashOff + 32);
    expect(second).toMatchObject({ kptrFlavor: 'kptr', pointeeTypeId: nodeData.id });
    expect(fields.find((f) => f.name === 'nested.raw')!.kptrFlavor).toBe('kptr_untrusted');
    expect(fields.find((f) => f.kind === 'rb_root')!.contains).toEqual({ typeId: nodeData.id, typeName: 'node_data', nodeOffset: 8, nodeField: 'node' });
    expect(fields.find((f) => f.kind === 'list_head')!.contains).toMatchObject({ nodeOffset: 40, nodeField: 'lnode' });
  });

  it('finds nodes and refcount in a local-kptr type', () => {
    const nodeData = btf.findByName('node_data', 'struct')!;
    expect(specialFields(btf, nodeData.id).map((f) => [f.kind, f.offset])).toEqual([
      ['rb_node', 8],
      ['list_node', 40],
      ['refcount', 64],
    ]);
  });

  it('looks into a DATASEC for global-data roots', () => {
    const sec = btf.findByName('.data.every', 'datasec')!;
    expect(specialFields(btf, sec.id).filter((f) => f.kind === 'rb_root').map((f) => f.name)).toEqual(['everything_var.root']);
  });
});

describe('malformed BTF', () => {
  const hdr = (typeLen: number, strLen: number): DataView => {
    const dv = new DataView(new ArrayBuffer(24 + typeLen + strLen));
    dv.setUint16(0, 0xeb9f, true);
    dv.setUint8(2, 1);
    dv.setUint32(4, 24, true);
    dv.setUint32(12, typeLen, true);
    dv.setUint32(16, typeLen, true);
    dv.setUint32(20, strLen, true);
    return dv;
  };
  const bytes = (dv: DataView): Uint8Array => new Uint8Array(dv.buffer);

  it('rejects a name offset outside the string section, naming the type', () => {
    const dv = hdr(12, 4);
    dv.setUint32(24, 99, true); // name_off
    dv.setUint32(28, 2 << 24, true); // PTR
    const e = catchLoad(() => Btf.parse(bytes(dv)));
    expect(e.code).toBe('btf_string');
    expect(e.message).toMatch(/type \[1\].*string offset 99/);
  });

  it('rejects a pointer loop (kernel btf_resolve refuses cycles)', () => {
    const dv = hdr(24, 1);
    dv.setUint32(28, 2 << 24, true);
    dv.setUint32(32, 2, true); // [1] PTR -> [2]
    dv.setUint32(40, 10 << 24, true);
    dv.setUint32(44, 1, true); // [2] CONST -> [1]
    const e = catchLoad(() => Btf.parse(bytes(dv)));
    expect(e.code).toBe('btf_loop');
    expect(e.message).toMatch(/\[1\] -> \[2\] -> \[1\]/);
  });

  it('rejects a reference past the type table', () => {
    const dv = hdr(12, 1);
    dv.setUint32(28, 8 << 24, true);
    dv.setUint32(32, 7, true);
    expect(catchLoad(() => Btf.parse(bytes(dv))).code).toBe('btf_type_ref');
  });
});

describe('hostile BTF that fans out', () => {
  it('cName stays bounded (the CO-RE comparisons: loader/core/match.test.ts)', () => {
    const b = Btf.parse(fanOut());
    expect(b.cName(3)).toContain('/* too deep */');
  });
});

function catchLoad(f: () => unknown): LoadError {
  try {
    f();
  } catch (e) {
    if (e instanceof LoadError) return e;
    throw e;
  }
  throw new Error('expected a LoadError');
}

import { beforeAll, describe, expect, it } from 'vitest';
import { Btf } from '../../btf/btf';
import { ElfFile } from '../../elf/elf';
import { POISON_HELPER_ID } from '../../vm/abi';
import { openObject } from '../index';
import { makeKernelEnv } from '../kernel_env';
import type { LoadedObject } from '../object';
import { fixtureBytes } from '../testing/fixtures';
import { decode } from '../testing/insn';
import { decode as decodeForVm } from '../../vm/decode';

// The target layout, by C rules, of struct core_s in core_target.bpf.c:
// moved_in_front@0, b@8, nested@16 (c@20), bitfield word@24 (flag at bit 196, 7 bits),
// a@28, small@32 (u32), arr@40 (s64[4]) — size 72.
let obj: LoadedObject;
let target: Btf;
beforeAll(() => {
  target = Btf.parse(ElfFile.parse(fixtureBytes('core_target')).section('.BTF')!.data);
  obj = openObject(fixtureBytes('core'), { file: 'core.bpf.o', kernel: makeKernelEnv(target) });
});

const relo = (program: string, kind: string, access: string) => {
  const r = obj.coreRelos.find((x) => x.program === program && x.kind === kind && x.access.includes(access));
  if (!r) throw new Error(`no ${kind} relocation for ${access} in ${program}`);
  return r;
};

/** The immediate (or 64-bit ld_imm64 value, or offset for loads) of the relocated insn. */
function patched(program: string, insn: number): { code: number; value: number } {
  const p = obj.programs.find((x) => x.name === program)!;
  const i = decode(p.image.insns).find((x) => x.idx === insn)!;
  if (i.code === 0x18) return { code: i.code, value: i.imm + (i.imm2 ?? 0) * 2 ** 32 };
  if ((i.code & 7) === 1) return { code: i.code, value: i.off };
  return { code: i.code, value: i.imm };
}

describe('CO-RE field relocations (libbpf bpf_core_calc_field_relo)', () => {
  it.each([
    ['byte_off', '(a)', 28, 'a field moved in the target BTF is relocated'],
    ['byte_sz', '(small)', 4, 'a field widened from u16 to u32'],
    ['signed', '(a)', 1, 'int is signed'],
    ['lshift_u64', '(flag)', 64 - (196 + 7 - 24 * 8), 'bitfield moved to bit 196 of a u32 at byte 24'],
    ['rshift_u64', '(flag)', 64 - 7, 'bitfield now 7 bits wide'],
    ['byte_off', '(nested.c)', 20, 'nested member found by name'],
    ['byte_off', '(arr[2])', 56, 'array element of a moved array'],
  ])('%s %s → %i (%s)', (kind, access, want) => {
    const r = relo('core_fields', kind, access);
    expect(r.targetValue).toBe(want);
    expect(r.poisoned).toBe(false);
    expect(patched('core_fields', r.insn).value).toBe(want);
  });

  it('field_exists is 1 for a field the kernel has and 0 (not poisoned) for one it lacks', () => {
    expect(relo('core_fields', 'field_exists', '(b)').targetValue).toBe(1);
    const gone = relo('core_fields', 'field_exists', '(gone)');
    expect(gone).toMatchObject({ targetValue: 0, poisoned: false });
    expect(patched('core_fields', gone.insn).value).toBe(0);
  });

  it('rewrites a load offset and widens the load when the field grew (u16 at 20 → u32 at 32)', () => {
    const loads = obj.coreRelos.filter((x) => x.program === 'core_fields' && x.kind === 'byte_off' && x.access.includes('(small)'));
    expect(loads).toHaveLength(1);
    const p = patched('core_fields', loads[0]!.insn);
    expect(p.value).toBe(32);
    expect(p.code).toBe(0x61); // BPF_LDX | BPF_MEM | BPF_W
    expect(loads[0]!.localValue).toBe(20);
  });
});

describe('CO-RE type relocations', () => {
  it('type ids: local keeps the object id, target is the kernel BTF id of the ___flavor-stripped name', () => {
    const localId = obj.btf.findByName('core_s___local', 'struct')!.id;
    expect(relo('core_types', 'local_type_id', 'core_s___local').targetValue).toBe(localId);
    expect(relo('core_types', 'target_type_id', 'core_s___local').targetValue).toBe(target.findByName('core_s', 'struct')!.id);
  });

  it('type_exists, type_size and type_matches', () => {
    expect(relo('core_types', 'type_exists', 'only_in_kernel').targetValue).toBe(1);
    expect(relo('core_types', 'type_exists', 'only_local')).toMatchObject({ targetValue: 0, poisoned: false });
    expect(relo('core_types', 'type_size', 'core_s___local').targetValue).toBe(72);
    expect(relo('core_types', 'type_matches', 'struct core_matches:').targetValue).toBe(1);
    // p is u64 locally but u32 in the kernel: bpf_core_types_match compares int sizes
    expect(relo('core_types', 'type_matches', 'core_matches___nomatch').targetValue).toBe(0);
  });
});

describe('CO-RE enum relocations', () => {
  it('enumval_exists and enumval_value compare enumerator names without ___flavor', () => {
    expect(relo('core_enums', 'enumval_exists', 'CORE_E_ONE___local').targetValue).toBe(1);
    expect(relo('core_enums', 'enumval_exists', 'CORE_E_MISSING___local').targetValue).toBe(0);
    expect(relo('core_enums', 'enumval_value', 'CORE_E_ONE___local').targetValue).toBe(10);
    const big = relo('core_enums', 'enumval_value', 'CORE_E_BIG___local');
    expect(big.targetValue).toBe(0x123456789);
    expect(patched('core_enums', big.insn).value).toBe(0x123456789);
  });
});

describe('a failed CO-RE relocation poisons the instruction like libbpf', () => {
  it('poisons an ld_imm64 (enumval_value of a missing enumerator) so the VM still decodes the image', () => {
    const r = relo('core_enums', 'enumval_value', 'CORE_E_MISSING___local');
    expect(r.poisoned).toBe(true);
    const p = obj.programs.find((x) => x.name === 'core_enums')!;
    const insns = decode(p.image.insns);
    const at = insns.find((x) => x.idx === r.insn)!;
    expect([at.code, at.imm]).toEqual([0x85, POISON_HELPER_ID]);
    // the second slot becomes a no-op jump, so decoding sees whole instructions
    expect(insns.find((x) => x.idx === r.insn + 1)).toMatchObject({ code: 0x05, off: 0 });
    expect(() => decodeForVm(p.image)).not.toThrow();
  });

  it('reports the access string and replaces the insn with call 0xbad2310', () => {
    const r = relo('core_poison', 'byte_off', '(gone)');
    expect(r.poisoned).toBe(true);
    expect(r.access).toBe('struct core_s___local: 0:6 (gone)');
    const p = obj.programs.find((x) => x.name === 'core_poison')!;
    const insn = decode(p.image.insns).find((x) => x.idx === r.insn)!;
    expect([insn.code, insn.imm]).toEqual([0x85, POISON_HELPER_ID]);
    expect(p.image.poisoned.get(r.insn)).toMatch(/no match for struct core_s___local: 0:6 \(gone\)/);
  });
});

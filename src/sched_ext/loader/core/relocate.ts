// Apply one CO-RE relocation to a program section's instructions, as libbpf's
// bpf_core_calc_relo_insn + bpf_core_patch_insn do: compute the local
// ("orig") and target ("new") values, then rewrite the instruction's imm (ALU
// with an immediate, ld_imm64) or off (loads and stores). A relocation that
// cannot be satisfied and is not an existence check poisons the instruction:
// it becomes `call 0xbad2310`, which faults only if executed.

import type { Btf } from '../../btf/btf';
import type { ExtCoreRelo } from '../../btf/btf_ext';
import { POISON_HELPER_ID } from '../../vm/abi';
import { LoadError } from '../../base/load_error';
import { findCandidates, matchSpec } from './match';
import { CORE_KIND_NAMES, CoreKind, isEnumKind, isFieldKind, parseSpec, type CoreSpec } from './spec';

export interface CoreOutcome {
  kind: string;
  access: string;
  local: string;
  localValue: number;
  targetValue?: number;
  poisoned: boolean;
  reason?: string;
}

interface Value {
  value: bigint;
  /** Field byte size, to adjust a load's width when the target field changed size. */
  size?: number;
  /**
   * Whether the instruction must hold the local value. libbpf skips this for
   * bitfields: clang may pick a different load width than libbpf computes.
   */
  validate?: boolean;
  /** What the field is, for libbpf's rule on adjusting a load's width: only pointers and unsigned ints. */
  sizeClass?: 'ptr' | 'uint' | 'other';
}

/** bpf_core_calc_field_relo. */
function fieldValue(spec: CoreSpec, kind: number): Value {
  const btf = spec.btf;
  const ft = btf.resolve(spec.fieldTypeId);
  const bitOff = spec.bitOffset;
  let byteSz: number;
  let byteOff: number;
  let bitSz: number;
  if (spec.bitfieldSize) {
    bitSz = spec.bitfieldSize;
    byteSz = btf.sizeOf(spec.fieldTypeId);
    byteOff = Math.floor(bitOff / 8 / byteSz) * byteSz;
    // the smallest naturally aligned load covering the bitfield
    while (bitOff + bitSz - byteOff * 8 > byteSz * 8) {
      if (byteSz >= 8) throw new LoadError('core_bad', `bitfield ${spec.path} cannot be loaded with one 8-byte load`);
      byteSz *= 2;
      byteOff = Math.floor(bitOff / 8 / byteSz) * byteSz;
    }
  } else {
    if (bitOff % 8 !== 0) throw new LoadError('core_bad', `field ${spec.path} is not byte-aligned`);
    byteSz = ft.kind === 'void' ? 0 : btf.sizeOf(spec.fieldTypeId);
    byteOff = bitOff / 8;
    bitSz = byteSz * 8;
  }
  const validate = spec.bitfieldSize === 0;
  switch (kind) {
    case CoreKind.FIELD_BYTE_OFFSET: {
      const sizeClass = ft.kind === 'ptr' ? 'ptr' : ft.kind === 'int' && !ft.signed ? 'uint' : 'other';
      return { value: BigInt(byteOff), size: byteSz, validate, sizeClass };
    }
    case CoreKind.FIELD_BYTE_SIZE:
      return { value: BigInt(byteSz), validate };
    case CoreKind.FIELD_EXISTS:
      return { value: 1n };
    case CoreKind.FIELD_SIGNED:
      return { value: (ft.kind === 'int' && ft.signed) || ((ft.kind === 'enum' || ft.kind === 'enum64') && ft.signed) ? 1n : 0n, validate };
    case CoreKind.FIELD_LSHIFT_U64:
      return { value: BigInt(64 - (bitOff + bitSz - byteOff * 8)), validate };
    default:
      return { value: BigInt(64 - bitSz), validate };
  }
}

function otherValue(spec: CoreSpec, kind: number, localRootId: number): Value {
  switch (kind) {
    case CoreKind.TYPE_ID_LOCAL:
      return { value: BigInt(localRootId) };
    case CoreKind.TYPE_ID_TARGET:
      return { value: BigInt(spec.rootId) };
    case CoreKind.TYPE_SIZE:
      return { value: BigInt(spec.btf.sizeOf(spec.rootId)) };
    case CoreKind.ENUMVAL_VALUE:
      return { value: spec.enumValue ?? 0n };
    default:
      return { value: 1n };
  }
}

function calc(spec: CoreSpec, kind: number, localRootId: number): Value {
  return isFieldKind(kind) ? fieldValue(spec, kind) : otherValue(spec, kind, localRootId);
}

/** Relocate the instruction at `rec.insnOff` in `insns` (a section's bytes). */
export function applyCoreRelo(insns: Uint8Array, rec: ExtCoreRelo, local: Btf, target: Btf): CoreOutcome {
  if (rec.kind >= CORE_KIND_NAMES.length) throw new LoadError('core_bad', `unknown CO-RE relocation kind ${rec.kind}`);
  const kindName = CORE_KIND_NAMES[rec.kind]!;
  const spec = parseSpec(local, rec.typeId, rec.access, rec.kind);
  const rootName = local.cName(rec.typeId);
  const access = `${rootName}: ${rec.access}${spec.path ? ` (${spec.path})` : ''}`;
  const orig = calc(spec, rec.kind, rec.typeId);
  const out: CoreOutcome = { kind: kindName, access, local: rootName, localValue: Number(orig.value), poisoned: false };

  let targ: CoreSpec | undefined;
  if (rec.kind === CoreKind.TYPE_ID_LOCAL) targ = spec;
  else {
    const found: { spec: CoreSpec; value: Value }[] = [];
    for (const cand of findCandidates(local, rec.typeId, target)) {
      const m = matchSpec(spec, rec.kind, target, cand);
      if (m) found.push({ spec: m, value: calc(m, rec.kind, rec.typeId) });
    }
    // libbpf refuses when matching candidates disagree on the answer
    if (found.length > 1 && found.some((f) => f.value.value !== found[0]!.value.value)) {
      throw new LoadError('core_bad', `CO-RE ${kindName} for ${access} is ambiguous: ${found.length} kernel types named like ${rootName} give different answers`);
    }
    targ = found[0]?.spec;
  }

  let newVal: Value;
  if (targ !== undefined) newVal = calc(targ, rec.kind, rec.typeId);
  else if (rec.kind === CoreKind.FIELD_EXISTS || rec.kind === CoreKind.ENUMVAL_EXISTS || (!isFieldKind(rec.kind) && !isEnumKind(rec.kind))) {
    // existence checks and type-based relocations read 0 when the target lacks the type
    newVal = { value: 0n };
  } else {
    poison(insns, rec.insnOff);
    out.poisoned = true;
    out.reason = `CO-RE ${kindName} relocation failed: the kernel BTF has no match for ${access}`;
    return out;
  }
  out.targetValue = Number(newVal.value);
  const why = patchInsn(insns, rec.insnOff, orig, newVal);
  if (why !== undefined) {
    poison(insns, rec.insnOff);
    out.poisoned = true;
    out.reason = `CO-RE ${kindName} relocation for ${access}: ${why}`;
  }
  return out;
}

const SIZE_BITS: Record<number, number> = { 1: 0x10, 2: 0x08, 4: 0x00, 8: 0x18 };

/** bpf_core_patch_insn; returns why the instruction cannot take the value, or undefined. */
function patchInsn(insns: Uint8Array, off: number, orig: Value, v: Value): string | undefined {
  const dv = new DataView(insns.buffer, insns.byteOffset, insns.byteLength);
  const code = insns[off]!;
  const cls = code & 7;
  if (cls === 0x04 || cls === 0x07) {
    if ((code & 0x08) !== 0) return 'ALU instruction with a register source cannot be relocated';
    if (orig.validate !== false && BigInt(dv.getInt32(off + 4, true)) !== BigInt.asIntN(32, orig.value)) return `instruction holds ${dv.getInt32(off + 4, true)}, expected ${orig.value}`;
    if (v.value > 0x7fffffffn || v.value < -0x80000000n) return `value ${v.value} does not fit a 32-bit immediate`;
    dv.setInt32(off + 4, Number(v.value), true);
    return undefined;
  }
  if (cls === 0x01 || cls === 0x02 || cls === 0x03) {
    if (orig.validate !== false && BigInt(dv.getInt16(off + 2, true)) !== orig.value) return `instruction offset is ${dv.getInt16(off + 2, true)}, expected ${orig.value}`;
    if (v.value > 0x7fffn || v.value < -0x8000n) return `offset ${v.value} does not fit 16 bits`;
    dv.setInt16(off + 2, Number(v.value), true);
    // a load of a field whose size changed follows it (libbpf: "adjust memory load size"),
    // but only between pointers or unsigned ints: a signed value would lose its sign extension
    const mode = code & 0xe0;
    if (cls === 0x01 && mode === 0x60 && v.size !== undefined && orig.size !== undefined && v.size !== orig.size) {
      if (orig.sizeClass !== v.sizeClass || v.sizeClass === 'other') return `field changed size from ${orig.size} to ${v.size} bytes and is not an unsigned integer or pointer, so the load cannot be adjusted`;
      const bits = SIZE_BITS[v.size];
      if (bits === undefined) return `field is now ${v.size} bytes, which no load can read`;
      insns[off] = (code & ~0x18) | bits;
    }
    return undefined;
  }
  if (code === 0x18) {
    if (off + 16 > insns.length) return 'ld_imm64 is truncated';
    const x = BigInt.asUintN(64, v.value);
    dv.setUint32(off + 4, Number(x & 0xffffffffn), true);
    dv.setUint32(off + 12, Number(x >> 32n), true);
    return undefined;
  }
  return `instruction 0x${code.toString(16)} cannot be CO-RE relocated`;
}

/** libbpf's bpf_core_poison_insn: `call 0xbad2310`; the second slot of an ld_imm64 becomes `ja +0`. */
export function poison(insns: Uint8Array, off: number): void {
  const dv = new DataView(insns.buffer, insns.byteOffset, insns.byteLength);
  const wasLdImm64 = insns[off] === 0x18;
  insns.fill(0, off, off + 8);
  insns[off] = 0x85;
  dv.setInt32(off + 4, POISON_HELPER_ID, true);
  if (wasLdImm64 && off + 16 <= insns.length) {
    insns.fill(0, off + 8, off + 16);
    insns[off + 8] = 0x05;
  }
}

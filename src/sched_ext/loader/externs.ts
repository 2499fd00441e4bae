// Extern symbols, resolved the way libbpf's bpf_object__resolve_externs()
// does: `.ksyms` functions are kfuncs looked up by name in the kernel BTF
// (their id is the kernel FUNC's BTF type id) with a prototype compatibility
// check; `.kconfig` variables take the kernel's kconfig values and live in a
// `.kconfig` map; weak externs may stay unresolved and then read as 0.

import type { Btf } from '../btf/btf';
import type { BtfType } from '../btf/types';
import type { ElfFile, ElfSymbol } from '../elf/elf';
import { SHN, STB, STT } from '../elf/elf';
import { LoadError } from '../base/load_error';
import type { KernelEnv } from './kernel_env';
import type { KfuncUse, KsymVar, MapSpec } from './object';
import { MapFlag, MapType } from './object';

export interface KfuncExtern {
  kind: 'kfunc';
  sym: ElfSymbol;
  use: KfuncUse;
  /** Why it is unresolved (missing or incompatible), for poisoned calls and messages. */
  reason?: string;
}

export interface KconfigExtern {
  kind: 'kconfig';
  sym: ElfSymbol;
  offset: number;
  size: number;
}

export interface KsymVarExtern {
  kind: 'ksym_var';
  sym: ElfSymbol;
  /** Index into Externs.ksymVars when the kernel has the symbol; undefined for an absent weak one (reads 0). */
  index?: number;
}

export type Extern = KfuncExtern | KconfigExtern | KsymVarExtern;

/**
 * libbpf's bpf_core_essential_name_len: drop the suffix after the last
 * "X___Y" separator ("foo___v2___compat" → "foo___v2", "task_struct___old" → "task_struct").
 */
export function essentialName(name: string): string {
  for (let i = name.length - 5; i >= 0; i--) {
    if (name[i] !== '_' && name[i + 1] === '_' && name[i + 2] === '_' && name[i + 3] === '_' && name[i + 4] !== '_') return name.slice(0, i + 1);
  }
  return name;
}

export interface Externs {
  bySymbol: Map<number, Extern>;
  kfuncs: KfuncExtern[];
  /** Typed kernel symbols found in the kernel BTF, in first-use order. */
  ksymVars: KsymVar[];
  kconfigMap?: MapSpec;
}

export function resolveExterns(elf: ElfFile, btf: Btf, kernel: KernelEnv, file: string, kconfigMapIndex: number): Externs {
  const ksyms = datasecNames(btf, '.ksyms');
  const kconfig = datasecNames(btf, '.kconfig');
  const out: Externs = { bySymbol: new Map(), kfuncs: [], ksymVars: [] };
  const kconfigVars: KconfigExtern[] = [];
  let kconfigSize = 0;
  for (const sym of elf.symbols) {
    if (sym.shndx !== SHN.UNDEF || sym.name === '' || sym.index === 0) continue;
    if (sym.bind !== STB.GLOBAL && sym.bind !== STB.WEAK) continue;
    const weak = sym.bind === STB.WEAK;
    const where = { file, symbol: sym.name };
    const kc = kconfig.get(sym.name);
    if (kc !== undefined) {
      const size = btf.sizeOf(kc.type);
      const align = Math.min(8, size <= 1 ? 1 : size <= 2 ? 2 : size <= 4 ? 4 : 8);
      const offset = Math.ceil(kconfigSize / align) * align;
      kconfigSize = offset + size;
      const ext: KconfigExtern = { kind: 'kconfig', sym, offset, size };
      kconfigVars.push(ext);
      out.bySymbol.set(sym.index, ext);
      continue;
    }
    const ks = ksyms.get(sym.name);
    if (ks !== undefined && ks.kind === 'var') {
      const kv = kernelVar(kernel.btf, essentialName(sym.name));
      if (kv !== undefined) {
        out.bySymbol.set(sym.index, { kind: 'ksym_var', sym, index: out.ksymVars.length });
        out.ksymVars.push(kv);
        continue;
      }
      if (!weak) throw new LoadError('extern_bad', `typed kernel symbol ${sym.name} (extern variable in .ksyms) is not provided by the simulated kernel (it has ${kernelVarNames(kernel.btf).join(', ') || 'none'}); declare it __weak or avoid it`, where);
      out.bySymbol.set(sym.index, { kind: 'ksym_var', sym });
      continue;
    }
    if (ks === undefined && (sym.type === STT.FUNC || sym.type === STT.NOTYPE) && kernel.btf.findByName(essentialName(sym.name), 'func') === undefined) {
      // Not __ksym and not a kernel function: a global function of another
      // object file (a BPF library such as scx's lib/*.bpf.c) that was never linked in.
      throw new LoadError('unlinked', `the object calls ${sym.name}, a global function it does not define (not a __ksym kfunc): it is an unlinked object. Link it with the objects that define it, e.g. \`bpftool gen object sched.bpf.o main.bpf.o lib.bpf.o\` (libbpf's static linker; scx builds link with libbpf >= 1.4), then load the linked object`, where);
    }
    if (ks !== undefined || sym.type === STT.FUNC || sym.type === STT.NOTYPE) {
      const ext = resolveKfunc(sym, weak, ks, btf, kernel, where);
      out.kfuncs.push(ext);
      out.bySymbol.set(sym.index, ext);
      continue;
    }
    throw new LoadError('extern_bad', `extern ${sym.name} is neither in .ksyms nor in .kconfig; libbpf cannot resolve it`, where);
  }
  if (kconfigVars.length > 0) out.kconfigMap = kconfigMap(kconfigVars, btf, kernel, kconfigMapIndex, Math.ceil(kconfigSize / 8) * 8, file);
  return out;
}

/** A kernel VAR by name, per-CPU when the kernel BTF places it in .data..percpu (as vmlinux BTF does). */
function kernelVar(kbtf: Btf, name: string): KsymVar | undefined {
  if (!isKernelSymbol(name)) return undefined;
  const v = kbtf.findByName(name, 'var');
  if (v === undefined || v.kind !== 'var') return undefined;
  const percpu = kbtf.findByName('.data..percpu', 'datasec');
  const perCpu = percpu !== undefined && percpu.kind === 'datasec' && percpu.vars.some((x) => x.type === v.id);
  return { name, perCpu, typeName: kbtf.cName(v.type), size: kbtf.sizeOf(v.type) };
}

function kernelVarNames(kbtf: Btf): string[] {
  return kbtf.types.filter((t) => t.kind === 'var' && isKernelSymbol(t.name)).map((t) => t.name).sort();
}

/** The kernel BTF object's own variables (its license, the type-forcing holders) are not kernel symbols. */
function isKernelSymbol(name: string): boolean {
  return name !== 'LICENSE' && !name.startsWith('scxray_');
}

function datasecNames(btf: Btf, name: string): Map<string, BtfType & { kind: 'var' | 'func' }> {
  const out = new Map<string, BtfType & { kind: 'var' | 'func' }>();
  const ds = btf.findByName(name, 'datasec');
  if (ds === undefined || ds.kind !== 'datasec') return out;
  for (const v of ds.vars) {
    const t = btf.type(v.type);
    if (t.kind === 'var' || t.kind === 'func') out.set(t.name, t);
  }
  return out;
}

function resolveKfunc(sym: ElfSymbol, weak: boolean, local: BtfType | undefined, btf: Btf, kernel: KernelEnv, where: object): KfuncExtern {
  const essential = essentialName(sym.name);
  // libbpf strips the last ___suffix ("scx_bpf_dsq_insert___v2___compat" finds
  // v6.19's "scx_bpf_dsq_insert___v2"); we also accept the name before the
  // first one, when its prototype is compatible.
  const candidates = [...new Set([essential, sym.name.split('___')[0]!])];
  let reason = `the kernel has no kfunc ${candidates.join(' or ')}`;
  for (const kernelName of candidates) {
    const kf = kernel.btf.findByName(kernelName, 'func');
    if (kf === undefined || kf.kind !== 'func') continue;
    if (local !== undefined && local.kind === 'func') {
      const why = protoMismatch(btf, local.type, kernel.btf, kf.type);
      if (why !== undefined) {
        reason = `kfunc ${kernelName}: prototype differs from the kernel's (${why})`;
        continue;
      }
    }
    return { kind: 'kfunc', sym, use: { name: sym.name, kernelName, weak, resolved: true, kfuncId: kf.id } };
  }
  if (!weak && reason.includes('prototype')) throw new LoadError('kfunc_proto', `${reason}; fix the declaration`, where);
  return { kind: 'kfunc', sym, use: { name: sym.name, kernelName: essential, weak, resolved: false }, reason };
}

type Shape = 'void' | 'int' | 'ptr' | 'composite' | 'enum' | 'float' | 'array' | 'func' | 'other';

function shape(t: BtfType): Shape {
  switch (t.kind) {
    case 'void':
      return 'void';
    case 'int':
      return 'int';
    case 'ptr':
      return 'ptr';
    case 'struct':
    case 'union':
    case 'fwd':
      return 'composite';
    case 'enum':
    case 'enum64':
      return 'enum';
    case 'float':
      return 'float';
    case 'array':
      return 'array';
    case 'func_proto':
      return 'func';
    default:
      return 'other';
  }
}

/**
 * libbpf's bpf_core_types_are_compat for func protos: same arity, and each of
 * the return and parameter types of the same kind after skipping modifiers
 * and typedefs (pointers recurse into their pointee). Returns why not, or undefined.
 */
export function protoMismatch(local: Btf, localId: number, target: Btf, targetId: number): string | undefined {
  const lp = local.resolve(localId);
  const tp = target.resolve(targetId);
  if (lp.kind !== 'func_proto' || tp.kind !== 'func_proto') return 'not a function prototype';
  if (lp.params.length !== tp.params.length) return `${lp.params.length} arguments here, ${tp.params.length} in the kernel`;
  const check = (l: number, t: number, what: string): string | undefined => {
    let a = local.resolve(l);
    let b = target.resolve(t);
    for (let depth = 0; depth < 32; depth++) {
      if (shape(a) !== shape(b)) return `${what} is ${local.cName(l)} here, ${target.cName(t)} in the kernel`;
      if (a.kind !== 'ptr' || b.kind !== 'ptr') return undefined;
      a = local.resolve(a.type);
      b = target.resolve(b.type);
    }
    return undefined;
  };
  const ret = check(lp.type, tp.type, 'return type');
  if (ret) return ret;
  for (let i = 0; i < lp.params.length; i++) {
    const r = check(lp.params[i]!.type, tp.params[i]!.type, `argument ${i + 1}`);
    if (r) return r;
  }
  return undefined;
}

function kconfigMap(vars: KconfigExtern[], btf: Btf, kernel: KernelEnv, index: number, size: number, file: string): MapSpec {
  const value = new Uint8Array(Math.max(size, 8));
  const dv = new DataView(value.buffer);
  for (const v of vars) {
    const val = kernel.kconfig(v.sym.name);
    if (val === undefined) {
      if (v.sym.bind !== STB.WEAK) throw new LoadError('kconfig_missing', `the simulated kernel has no kconfig value ${v.sym.name}; declare it __weak to default to 0`, { file, section: '.kconfig', symbol: v.sym.name });
      continue;
    }
    for (let i = 0; i < v.size && i < 8; i++) dv.setUint8(v.offset + i, Number((BigInt.asUintN(64, val) >> BigInt(8 * i)) & 0xffn));
  }
  const ds = btf.findByName('.kconfig', 'datasec');
  return {
    index,
    name: '.kconfig',
    origin: 'global',
    type: MapType.ARRAY,
    keySize: 4,
    valueSize: value.length,
    maxEntries: 1,
    flags: MapFlag.MMAPABLE | MapFlag.RDONLY_PROG,
    keyTypeId: 0,
    valueTypeId: ds?.id ?? 0,
    initialValue: value,
    section: '.kconfig',
  };
}

// openObject: a clang-built *.bpf.o → a LoadedObject, doing what libbpf does
// at open and load, in libbpf's order (docs/architecture.md "Data path"):
// ELF → BTF/BTF.ext → maps (BTF-defined, global data, .kconfig, struct_ops)
// → externs → .rodata constants → CO-RE → per-program linking.

import { createHash } from 'node:crypto';
import { Btf } from '../btf/btf';
import { parseBtfExt, type BtfExt } from '../btf/btf_ext';
import { ElfFile, STB, type ElfReloc } from '../elf/elf';
import { collectBtfMaps } from './btf_maps';
import { applyCoreRelo } from './core/relocate';
import { resolveExterns } from './externs';
import { collectFunctions, functionAt, type BpfFunction } from './functions';
import { collectGlobalData } from './global_data';
import { collectArenaGlobals } from './arena_globals';
import { tracingAttach } from './attach';
import type { KernelEnv } from './kernel_env';
import { linkProgram, type LinkContext } from './link';
import { LineIndex } from './line_index';
import { fixupDatasecs } from './datasec_fixup';
import { LoadError } from '../base/load_error';
import type { CoreReloResult, GlobalVar, LoadedObject, MapSpec, ProgramInfo, ProgramKind, StructOpsSpec } from './object';
import { applyRodataOverrides, fillEnumConsts } from './rodata_fill';
import { collectStructOps, setStructOpsMember } from './struct_ops';
import { applyResizes, type ResizeOptions, type ResizeRequest } from './resize';
import { applyGlobalSets, type GlobalSet } from './global_set';
import { frozenGlobals, poisonReachability } from './dead_code';
import { lineAt } from '../vm/machine';

export { LoadError } from '../base/load_error';
export type { LoadErrorCode } from '../base/load_error';
export type { KernelEnv } from './kernel_env';
export type { ResizeOptions, ResizeRequest } from './resize';
export type { GlobalSet } from './global_set';
export { parseGlobalSets, globalSetsFromRecord } from './global_set';
export { makeKernelEnv } from './kernel_env';

export interface OpenOptions {
  /** Name used in messages (the object's basename). */
  file: string;
  kernel: KernelEnv;
  /** Values for `.rodata` variables, as a scheduler's userspace half would set them before load. */
  rodataOverrides?: Record<string, bigint | Uint8Array>;
  /**
   * Global data to resize before maps are created, as userspace does with
   * bpf_map__set_value_size() between open and load: section name → new value
   * size in bytes, or section/variable name → { elements: n } for the
   * section's last (array) variable. See resize.ts.
   */
  resize?: ResizeOptions;
  /** `--set` items (global_set.ts), applied after rodataOverrides. */
  globalSets?: GlobalSet[];
  /**
   * Called between open and load, after the sets above, like the user code a
   * scheduler's main() runs between SCX_OPS_OPEN and SCX_OPS_LOAD: it may
   * write global data initial values, change map specs (max_entries) and
   * resize global data. See OpenedObject.
   */
  beforeLoad?: (open: OpenedObject) => void;
  /**
   * The programs load verifies, like leaving autoload on for only these
   * (bpf_program__set_autoload); all are verified when unset.
   */
  onlyPrograms?: string[];
}

/** The object between open and load, as the beforeLoad hook sees it. */
export interface OpenedObject {
  file: string;
  btf: Btf;
  maps: MapSpec[];
  globals: GlobalVar[];
  /** The struct_ops maps (read them; change them with setStructOpsMember). */
  structOps: StructOpsSpec[];
  /** skel->struct_ops.SPEC->MEMBER = value before load: a data member (flags, timeout_ms, ...) or an op set to null (struct_ops.ts setStructOpsMember). */
  setStructOpsMember(spec: string, member: string, value: bigint | null): void;
  /** Resize global data now (ResizeOptions semantics for one key). */
  resize(key: string, req: ResizeRequest): void;
}

export function programKind(section: string): ProgramKind {
  if (section.startsWith('struct_ops.s/')) return 'struct_ops.s';
  if (section.startsWith('struct_ops/') || section === 'struct_ops') return 'struct_ops';
  if (section === 'syscall') return 'syscall';
  if (/^(tp_btf|fentry|fexit|fmod_ret|lsm|iter|raw_tp|raw_tracepoint|tp|tracepoint|kprobe|kretprobe|uprobe|usdt)(\.s)?[/]/.test(section)) return 'tracing';
  return 'other';
}

export function openObject(bytes: Uint8Array, opts: OpenOptions): LoadedObject {
  try {
    return load(bytes, opts);
  } catch (e) {
    if (e instanceof LoadError) throw e.within({ file: opts.file });
    // Anything else escaping here is a reader bug on hostile input; keep the promise of a typed error.
    if (e instanceof RangeError || e instanceof TypeError) {
      throw new LoadError('elf_bad_section', `malformed object (${e.message}); the file is corrupt or not a BPF object`, { file: opts.file });
    }
    throw e;
  }
}

function load(bytes: Uint8Array, opts: OpenOptions): LoadedObject {
  const file = opts.file;
  const warnings: string[] = [];
  const elf = ElfFile.parse(bytes, file);
  const btfSec = elf.section('.BTF');
  const btf = btfSec ? withSection(() => Btf.parse(btfSec.data), '.BTF') : Btf.empty();
  const extSec = elf.section('.BTF.ext');
  const ext = extSec && btfSec ? withSection(() => parseBtfExt(extSec.data, btf), '.BTF.ext') : undefined;

  const funcs = collectFunctions(elf, file);
  if (ext) validateExt(ext, elf, file);
  fixupDatasecs(elf, btf);

  // maps in libbpf's order: user maps, global data, .kconfig, struct_ops
  const maps: MapSpec[] = [...collectBtfMaps(elf, btf, file, 0)];
  const arenaData = collectArenaGlobals(elf, maps, file);
  const globalData = collectGlobalData(elf, btf, file, maps.length);
  if (opts.resize) applyResizes(globalData, btf, opts.resize, file);
  maps.push(...globalData.map((g) => g.spec));
  const globals = globalData.flatMap((g) => g.vars);
  const externs = resolveExterns(elf, btf, opts.kernel, file, maps.length);
  if (externs.kconfigMap) maps.push(externs.kconfigMap);
  const kindOf = (fn: BpfFunction): ProgramKind => (fn.isSubprog ? 'other' : programKind(fn.section.name));
  const so = collectStructOps({ elf, btf, kernel: opts.kernel.btf, file, funcs, programKind: kindOf }, maps.length);
  maps.push(...so.maps);

  const weakNames = new Set(elf.symbols.filter((s) => s.bind === STB.WEAK).map((s) => s.name));
  warnings.push(...fillEnumConsts(globals, maps, opts.kernel.btf, weakNames));
  if (opts.rodataOverrides) applyRodataOverrides(globals, maps, opts.rodataOverrides, file);
  if (opts.globalSets) applyGlobalSets(globals, maps, btf, opts.globalSets, file);
  const setMember = (name: string, member: string, value: bigint | null) => {
    const spec = so.specs.find((x) => x.name === name);
    if (spec === undefined) throw new LoadError('struct_ops_bad', `no struct_ops map ${name}; the object has ${so.specs.map((x) => x.name).join(', ') || 'none'}`, { file });
    setStructOpsMember(spec, member, value, opts.kernel.btf);
  };
  opts.beforeLoad?.({ file, btf, maps, globals, structOps: so.specs, setStructOpsMember: setMember, resize: (key, req) => applyResizes(globalData, btf, { [key]: req }, file) });

  const sectionInsns = new Map<number, Uint8Array>();
  for (const f of funcs) if (!sectionInsns.has(f.section.index)) sectionInsns.set(f.section.index, f.section.data.slice());
  const lines = new LineIndex(ext);
  const { corePoison, coreRelos } = runCore(ext, lines, elf, btf, opts.kernel, funcs, sectionInsns, file);

  const relocs = new Map<number, Map<number, ElfReloc>>();
  for (const rs of elf.relSections) {
    if (!sectionInsns.has(rs.target.index)) continue;
    const m = new Map<number, ElfReloc>();
    for (const r of rs.relocs) m.set(Math.floor(r.offset / 8), r);
    relocs.set(rs.target.index, m);
  }
  const ctx: LinkContext = {
    file,
    btf,
    ext,
    lines,
    funcs,
    sectionInsns,
    corePoison,
    relocs,
    externs,
    btfMaps: new Map(maps.filter((m) => m.origin === 'btf').map((m) => [m.name, m])),
    mapsShndx: elf.section('.maps')?.index,
    globalMaps: new Map([...globalData.map((g): [number, MapSpec] => [g.shndx, g.spec]), ...(arenaData ? [arenaData] : [])]),
    sectionName: (i) => elf.sections[i]?.name ?? `#${i}`,
  };

  const programs = linkPrograms(ctx, warnings);
  refuseReachablePoison(programs, maps, file, opts.onlyPrograms, warnings);
  for (const k of externs.kfuncs) {
    if (!k.use.resolved && !k.use.weak) throw new LoadError('kfunc_missing', `${k.reason ?? `kfunc ${k.sym.name} not found`}; declare it __weak and guard it with bpf_ksym_exists(), or use a kfunc the kernel has`, { file, symbol: k.sym.name });
  }

  return {
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    btf,
    maps,
    programs,
    structOps: so.specs,
    globals,
    kfuncs: externs.kfuncs.map((k) => k.use),
    ...(externs.ksymVars.length > 0 ? { ksyms: externs.ksymVars } : {}),
    coreRelos,
    warnings,
  };
}

/**
 * What the kernel's verifier does with poisoned instructions at load: a
 * program in which one is reachable is refused (dead_code.ts), naming the
 * line; the dead ones stay poisoned and never run.
 */
function refuseReachablePoison(programs: ProgramInfo[], maps: MapSpec[], file: string, only: string[] | undefined, warnings: string[]): void {
  const frozen = frozenGlobals(maps);
  for (const p of programs) {
    if (only !== undefined && !only.includes(p.name)) continue;
    const r = poisonReachability(p.image, frozen);
    if (r.kind === 'unknown') warnings.push(`program ${p.name}: could not decide whether its poisoned instructions are dead (${r.why}); they fault if they run`);
    if (r.kind !== 'reachable') continue;
    const li = lineAt(p.image, r.insn);
    const at = li !== undefined ? `${li.file}:${li.line}` : `insn ${r.insn}`;
    if (!r.reason.startsWith('call to unresolved weak kfunc')) {
      // A failed CO-RE relocation the program can reach: the kernel refuses it too ("invalid func unknown#195896080"); here it faults only if it runs.
      warnings.push(`program ${p.name}: ${r.reason} at ${at} is reachable; the kernel's verifier would refuse the program at load`);
      continue;
    }
    throw new LoadError(
      'poisoned_call',
      `${r.reason}, and the kernel's verifier cannot prove the call dead, so it refuses program ${p.name} at load ("invalid kernel function call not eliminated in verifier pass"); guard the call with bpf_ksym_exists() or a const volatile .rodata knob that is off on this kernel`,
      { file, program: p.name, insn: r.insn, ...(li !== undefined ? { line: `${li.file}:${li.line}` } : {}) },
    );
  }
}

/** Every entry program, linked; those the simulator cannot run are reported with the reason. */
function linkPrograms(ctx: LinkContext, warnings: string[]): ProgramInfo[] {
  const programs: ProgramInfo[] = [];
  for (const fn of ctx.funcs) {
    if (fn.isSubprog) continue;
    const kind = programKind(fn.section.name);
    const attach = kind === 'tracing' ? tracingAttach(fn.section.name) : undefined;
    const runnable = kind === 'struct_ops' || kind === 'struct_ops.s' || kind === 'syscall' || (attach !== undefined && 'event' in attach);
    const image = linkProgram(ctx, fn, kind === 'struct_ops.s');
    const info: ProgramInfo = { name: fn.name, section: fn.section.name, kind, runnable, insnCount: fn.count, image };
    const src = image.lineInfo[0]?.file;
    if (src !== undefined) info.sourceFile = src;
    if (attach !== undefined && 'event' in attach) info.attachTo = attach.event;
    if (!runnable) {
      info.refusal = attach !== undefined && 'refusal' in attach ? attach.refusal : `section "${fn.section.name}" is not a struct_ops, syscall or attached tracing program; the simulator only runs those`;
      warnings.push(`program ${fn.name}: ${info.refusal}`);
    }
    programs.push(info);
  }
  return programs;
}

function withSection<T>(f: () => T, section: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof LoadError) throw e.within({ section });
    throw e;
  }
}

/** Every BTF.ext record must point inside an existing program section (libbpf checks the same). */
function validateExt(ext: BtfExt, elf: ElfFile, file: string): void {
  const check = (sec: string, offs: number[], what: string): void => {
    const s = elf.section(sec);
    if (s === undefined) throw new LoadError('btf_ext_bad', `${what} names section ${sec}, which the object does not have`, { file, section: '.BTF.ext' });
    for (const off of offs) {
      if (off % 8 !== 0 || off >= s.size) throw new LoadError('btf_ext_bad', `${what} record at byte ${off} of ${sec} points past its ${s.size}-byte section or between instructions`, { file, section: '.BTF.ext', offset: off });
    }
  };
  for (const [sec, recs] of ext.funcInfo) check(sec, recs.map((r) => r.insnOff), 'func_info');
  for (const [sec, recs] of ext.lineInfo) check(sec, recs.map((r) => r.insnOff), 'line_info');
  for (const [sec, recs] of ext.coreRelos) check(sec, recs.map((r) => r.insnOff), 'CO-RE relocation');
}

function runCore(ext: BtfExt | undefined, lines: LineIndex, elf: ElfFile, btf: Btf, kernel: KernelEnv, funcs: BpfFunction[], sectionInsns: Map<number, Uint8Array>, file: string): { corePoison: Map<number, Map<number, string>>; coreRelos: CoreReloResult[] } {
  const corePoison = new Map<number, Map<number, string>>();
  const coreRelos: CoreReloResult[] = [];
  if (!ext) return { corePoison, coreRelos };
  for (const [secName, recs] of ext.coreRelos) {
    const sec = elf.section(secName)!;
    const insns = sectionInsns.get(sec.index);
    if (insns === undefined) throw new LoadError('btf_ext_bad', 'CO-RE relocations for a section that holds no program', { file, section: secName });
    for (const rec of recs) {
      const idx = rec.insnOff / 8;
      const fn = functionAt(funcs, sec.index, idx);
      const li = lines.at(secName, idx);
      let out;
      try {
        out = applyCoreRelo(insns, rec, btf, kernel.btf);
      } catch (e) {
        if (e instanceof LoadError) throw e.within({ file, section: secName, program: fn?.name, insn: idx, line: li ? `${li.file}:${li.line}` : undefined });
        throw e;
      }
      if (out.poisoned) {
        const m = corePoison.get(sec.index) ?? new Map<number, string>();
        m.set(idx, out.reason!);
        corePoison.set(sec.index, m);
      }
      const r: CoreReloResult = { program: fn?.name ?? secName, insn: fn ? idx - fn.start : idx, kind: out.kind, access: out.access, local: out.local, localValue: out.localValue, poisoned: out.poisoned };
      if (out.targetValue !== undefined) r.targetValue = out.targetValue;
      if (li) r.line = li.line;
      coreRelos.push(r);
    }
  }
  return { corePoison, coreRelos };
}

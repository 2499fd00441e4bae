// struct_ops maps, as libbpf's bpf_object__init_struct_ops_maps() and
// bpf_map__init_kern_struct_ops() build them and the kernel's
// bpf_struct_ops_map_update_elem() + bpf_scx_init_member() validate them:
// every VAR of `.struct_ops` / `.struct_ops.link` is one map; its members are
// matched BY NAME to the kernel's struct (sched_ext_ops); function pointers
// are bound to programs through the section's R_BPF_64_ABS64 relocations;
// the data members the kernel accepts are read, every other member must be 0.

import type { Btf } from '../btf/btf';
import type { ElfFile, ElfSection } from '../elf/elf';
import { R_BPF } from '../elf/reloc_types';
import { essentialName } from './externs';
import { functionAt, type BpfFunction } from './functions';
import { LoadError } from '../base/load_error';
import type { MapSpec, ProgramKind, StructOpsMember, StructOpsSpec } from './object';
import { MapFlag, MapType } from './object';

/** Data members bpf_scx_init_member() takes; any other non-function member must be zero. */
const SCX_DATA_MEMBERS = new Set(['dispatch_max_batch', 'flags', 'name', 'timeout_ms', 'exit_dump_len', 'hotplug_seq']);
/** SCX_WATCHDOG_MAX_TIMEOUT (30 s): bpf_scx_init_member refuses a longer timeout_ms with -E2BIG. */
const MAX_TIMEOUT_MS = 30_000n;
/** bpf_scx_init_member: dispatch_max_batch above INT_MAX is -E2BIG. */
const MAX_DISPATCH_BATCH = 0x7fffffffn;
/** Ops bpf_scx_check_member lets a sleepable (struct_ops.s) program implement; any other is -EINVAL. */
const SLEEPABLE_OPS = new Set(['init_task', 'cgroup_init', 'cgroup_exit', 'cgroup_prep_move', 'cgroup_set_bandwidth', 'cpu_online', 'cpu_offline', 'init', 'exit']);

export function structOpsSectionName(name: string): '.struct_ops' | '.struct_ops.link' | undefined {
  const bare = name.startsWith('?') ? name.slice(1) : name;
  return bare === '.struct_ops' || bare === '.struct_ops.link' ? bare : undefined;
}

export interface StructOpsInput {
  elf: ElfFile;
  btf: Btf;
  kernel: Btf;
  file: string;
  funcs: BpfFunction[];
  programKind(fn: BpfFunction): ProgramKind;
}

export function collectStructOps(input: StructOpsInput, firstIndex: number): { maps: MapSpec[]; specs: StructOpsSpec[] } {
  const maps: MapSpec[] = [];
  const specs: StructOpsSpec[] = [];
  for (const sec of input.elf.sections) {
    const kind = structOpsSectionName(sec.name);
    if (kind === undefined) continue;
    const ds = input.btf.findByName(sec.name, 'datasec');
    if (ds === undefined || ds.kind !== 'datasec') throw new LoadError('struct_ops_bad', 'struct_ops section has no DATASEC in .BTF; build the object with -g', { file: input.file, section: sec.name });
    for (const vi of ds.vars) {
      const v = input.btf.type(vi.type);
      if (v.kind !== 'var') continue;
      const index = firstIndex + maps.length;
      const { map, spec } = oneMap(input, sec, kind, v.name, v.type, vi.offset, index);
      maps.push(map);
      specs.push(spec);
    }
  }
  return { maps, specs };
}

function oneMap(input: StructOpsInput, sec: ElfSection, kind: '.struct_ops' | '.struct_ops.link', varName: string, typeId: number, varOff: number, index: number): { map: MapSpec; spec: StructOpsSpec } {
  const { btf, kernel, file } = input;
  const where = { file, section: sec.name, symbol: varName };
  const local = btf.resolve(typeId);
  if (local.kind !== 'struct') throw new LoadError('struct_ops_bad', `struct_ops variable ${varName} is a ${local.kind}, not a struct`, where);
  const kernelName = essentialName(local.name);
  const kst = kernel.findByName(kernelName, 'struct');
  if (kst === undefined || kst.kind !== 'struct') throw new LoadError('struct_ops_bad', `the kernel has no struct ${kernelName} for struct_ops map ${varName}`, where);
  if (varOff + local.size > sec.size) throw new LoadError('struct_ops_bad', `struct_ops variable ${varName} runs past its section`, where);
  const data = sec.data.length > 0 ? sec.data.subarray(varOff, varOff + local.size) : new Uint8Array(local.size);

  const relocByOff = new Map<number, BpfFunction>();
  for (const r of input.elf.relocsFor(sec.index)) {
    if (r.offset < varOff || r.offset >= varOff + local.size) continue;
    if (r.type !== R_BPF.R_BPF_64_ABS64) throw new LoadError('struct_ops_bad', `relocation of type ${r.type} at offset ${r.offset}; function pointers use R_BPF_64_ABS64`, where);
    // REL relocations carry the addend in the patched bytes: a static function is its section symbol + addend
    const addend = sec.data.length >= r.offset + 8 ? Number(new DataView(sec.data.buffer, sec.data.byteOffset).getBigUint64(r.offset, true) & 0xffffffffn) : 0;
    const target = r.symbol.value + addend;
    const fn = target % 8 === 0 ? functionAt(input.funcs, r.symbol.shndx, target / 8) : undefined;
    if (fn === undefined || fn.start * 8 !== target) throw new LoadError('struct_ops_bad', `member at offset ${r.offset - varOff} points to ${r.symbol.name}, which is not the start of a BPF program`, where);
    relocByOff.set(r.offset - varOff, fn);
  }

  const spec: StructOpsSpec = { name: varName, mapIndex: index, section: kind, kernelType: kernelName, ops: {}, scalars: {}, opsName: '', members: [] };
  // the map value in the kernel's layout, as bpf_map__init_kern_struct_ops builds it:
  // data members copied to the kernel member's offset, function pointers left for the programs
  const kernValue = new Uint8Array(kst.size);
  for (const m of local.members) {
    const mw = { ...where, member: m.name };
    const off = m.bitOffset / 8;
    if (m.bitOffset % 8 !== 0 || m.bitfieldSize) throw new LoadError('struct_ops_bad', `bitfield member ${m.name} is not supported in struct_ops`, mw);
    const size = btf.sizeOf(m.type);
    const bytes = data.subarray(off, off + size);
    const fn = relocByOff.get(off);
    const program = fn?.name;
    const nonZero = fn !== undefined || bytes.some((b) => b !== 0);
    const km = kst.members.find((x) => x.name === m.name);
    if (km === undefined) {
      // libbpf skips members the kernel lacks only when they are zero
      if (nonZero) throw new LoadError('struct_ops_bad', `struct ${kernelName} in the kernel has no member ${m.name}, and ${varName} sets it; remove it or target a kernel that has it`, mw);
      continue;
    }
    const lt = btf.resolve(m.type);
    const kt = kernel.resolve(km.type);
    const localFn = lt.kind === 'ptr' && btf.resolve(lt.type).kind === 'func_proto';
    const kernelFn = kt.kind === 'ptr' && kernel.resolve(kt.type).kind === 'func_proto';
    if (localFn !== kernelFn || (!localFn && (lt.kind !== kt.kind || size !== kernel.sizeOf(km.type)))) {
      throw new LoadError('struct_ops_bad', `member ${m.name} is ${btf.cName(m.type)} here but ${kernel.cName(km.type)} in the kernel's struct ${kernelName}`, mw);
    }
    if (localFn) {
      if (fn === undefined || program === undefined) {
        if (nonZero) throw new LoadError('struct_ops_bad', `function pointer ${m.name} holds a value but no program relocation`, mw);
        continue;
      }
      const pk = input.programKind(fn);
      if (pk !== 'struct_ops' && pk !== 'struct_ops.s') {
        throw new LoadError('struct_ops_bad', `${m.name} is bound to ${program} from section ${fn.section.name}; struct_ops members need SEC("struct_ops/...") or SEC("struct_ops.s/...") programs`, mw);
      }
      if (pk === 'struct_ops.s' && kernelName === 'sched_ext_ops' && !SLEEPABLE_OPS.has(m.name)) {
        throw new LoadError('struct_ops_bad', `${m.name} is bound to the sleepable program ${program} (${fn.section.name}); the kernel allows sleepable programs only for ${[...SLEEPABLE_OPS].join(', ')} — use SEC("struct_ops/...")`, mw);
      }
      spec.ops[m.name] = program;
      spec.members.push({ name: m.name, program });
      continue;
    }
    spec.members.push(scalarMember(m.name, bytes, nonZero, spec, mw, allOpsFlags(kernel)));
    kernValue.set(bytes.subarray(0, Math.max(0, Math.min(size, kst.size - km.bitOffset / 8))), km.bitOffset / 8);
  }
  const map: MapSpec = {
    index,
    name: varName,
    origin: 'struct_ops',
    type: MapType.STRUCT_OPS,
    keySize: 4,
    valueSize: kst.size,
    maxEntries: 1,
    flags: kind === '.struct_ops.link' ? MapFlag.LINK : 0,
    keyTypeId: 0,
    valueTypeId: local.id,
    initialValue: kernValue,
    section: sec.name,
  };
  return { map, spec };
}

/** SCX_OPS_ALL_FLAGS from the kernel's enum scx_ops_flags, when it has one. */
function allOpsFlags(kernel: Btf): bigint | undefined {
  const e = kernel.findByName('scx_ops_flags');
  if (e === undefined || (e.kind !== 'enum' && e.kind !== 'enum64')) return undefined;
  return e.values.find((v) => v.name === 'SCX_OPS_ALL_FLAGS')?.value;
}

function scalarMember(name: string, bytes: Uint8Array, nonZero: boolean, spec: StructOpsSpec, where: object, allFlags: bigint | undefined): StructOpsMember {
  if (!SCX_DATA_MEMBERS.has(name)) {
    if (nonZero) throw new LoadError('struct_ops_bad', `member ${name} must be zero: the kernel's struct_ops update (bpf_scx_init_member) does not accept a value for it`, where);
    return { name, value: 0n };
  }
  if (name === 'name') {
    const end = bytes.indexOf(0);
    const text = new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end));
    // bpf_obj_name_cpy: non-empty, NUL-terminated, only [A-Za-z0-9_.]
    if (end < 0 || text === '' || !/^[A-Za-z0-9_.]+$/.test(text)) {
      throw new LoadError('struct_ops_bad', `ops name "${text}" is invalid: it must be non-empty, shorter than ${bytes.length} bytes, and use only letters, digits, '_' and '.'`, where);
    }
    spec.opsName = text;
    return { name };
  }
  let v = 0n;
  for (let i = Math.min(bytes.length, 8) - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  if (name === 'timeout_ms' && v > MAX_TIMEOUT_MS) throw new LoadError('struct_ops_bad', `timeout_ms ${v} exceeds the kernel's maximum of ${MAX_TIMEOUT_MS} (SCX_WATCHDOG_MAX_TIMEOUT)`, where);
  if (name === 'dispatch_max_batch' && v > MAX_DISPATCH_BATCH) throw new LoadError('struct_ops_bad', `dispatch_max_batch ${v} exceeds INT_MAX`, where);
  if (name === 'flags' && allFlags !== undefined && (v & ~allFlags) !== 0n) {
    throw new LoadError('struct_ops_bad', `flags 0x${v.toString(16)} has bits the kernel does not know (0x${(v & ~allFlags).toString(16)}; SCX_OPS_ALL_FLAGS is 0x${allFlags.toString(16)})`, where);
  }
  spec.scalars[name] = v;
  return { name, value: v };
}

/**
 * A struct_ops member changed between open and load, as a scheduler's
 * main() does through libbpf's skeleton (skel->struct_ops.ops->flags |= ...,
 * or a callback set to NULL): a data member gets the checks
 * bpf_scx_init_member makes at load; an op set to null is not implemented.
 */
export function setStructOpsMember(spec: StructOpsSpec, name: string, value: bigint | null, kernel: Btf): void {
  const where = { section: spec.section, symbol: spec.name };
  if (value === null) {
    if (spec.ops[name] === undefined) throw new LoadError('struct_ops_bad', `${spec.name} has no op ${name} to clear (it implements ${Object.keys(spec.ops).join(', ')})`, where);
    delete spec.ops[name];
    spec.members = spec.members.filter((m) => m.name !== name);
    return;
  }
  if (!SCX_DATA_MEMBERS.has(name) || name === 'name') {
    throw new LoadError('struct_ops_bad', `${spec.name}.${name} cannot be set: the data members are ${[...SCX_DATA_MEMBERS].filter((n) => n !== 'name').join(', ')}; an op can only be set to null`, where);
  }
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  const member = scalarMember(name, bytes, value !== 0n, spec, where, allOpsFlags(kernel));
  spec.members = [...spec.members.filter((m) => m.name !== name), member];
}

// What the loader hands to the rest of scxray: a scheduler object after
// everything libbpf does at open and load, ready for maps to be created and
// programs to run. Nothing here knows about the simulator.

import type { Btf } from '../btf/btf';
import type { ProgramImage } from '../vm/abi';

/** BPF_MAP_TYPE_* values from the uapi. */
export const MapType = {
  HASH: 1,
  ARRAY: 2,
  PROG_ARRAY: 3,
  PERF_EVENT_ARRAY: 4,
  PERCPU_HASH: 5,
  PERCPU_ARRAY: 6,
  STACK_TRACE: 7,
  CGROUP_ARRAY: 8,
  LRU_HASH: 9,
  LRU_PERCPU_HASH: 10,
  LPM_TRIE: 11,
  ARRAY_OF_MAPS: 12,
  HASH_OF_MAPS: 13,
  QUEUE: 22,
  STACK: 23,
  STRUCT_OPS: 26,
  RINGBUF: 27,
  INODE_STORAGE: 28,
  TASK_STORAGE: 29,
  BLOOM_FILTER: 30,
  USER_RINGBUF: 31,
  CGRP_STORAGE: 32,
  ARENA: 33,
} as const;

export const MapFlag = {
  NO_PREALLOC: 1 << 0,
  RDONLY_PROG: 1 << 7,
  MMAPABLE: 1 << 10,
  LINK: 1 << 13, // BPF_F_LINK, set on .struct_ops.link maps
} as const;

export interface MapSpec {
  /** Index used by ld_imm64 src 1/2 (BPF_PSEUDO_MAP_FD / _VALUE) in program images. */
  index: number;
  name: string;
  /** 'btf' for .maps entries, 'global' for .data/.rodata/.bss/.kconfig, 'struct_ops' for struct_ops maps. */
  origin: 'btf' | 'global' | 'struct_ops';
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  /** BTF type ids in the object's BTF (0 when the map has no BTF key/value). */
  keyTypeId: number;
  valueTypeId: number;
  /** For array/hash of maps: the inner map's template. */
  inner?: MapSpec;
  /** `__array(values, ...)` initial slots: index → name of the map placed there. */
  initialSlots?: { slot: number; mapName: string }[];
  /**
   * Initial bytes of a global-data map's single value (.data, .rodata after __SCX_* fill, .bss zeroed);
   * for a struct_ops map, its value in the KERNEL struct's layout (data members only; function
   * pointers are zero, the programs are in StructOpsSpec.ops).
   */
  initialValue?: Uint8Array;
  /** ELF section this map comes from (".maps", ".rodata", ".data.custom", ...). */
  section: string;
  /** `__uint/__ulong(map_extra, N)`: an arena's user address hint, a bloom filter's hash count. */
  mapExtra?: bigint;
}

/** One global variable of a .data/.rodata/.bss section, for the variable view and `--set`. */
export interface GlobalVar {
  name: string;
  section: string;
  mapIndex: number;
  offset: number;
  size: number;
  /** Type id in the object's BTF, and its C spelling. */
  typeId: number;
  typeName: string;
  readonly: boolean;
}

export type ProgramKind = 'struct_ops' | 'struct_ops.s' | 'syscall' | 'tracing' | 'other';

export interface ProgramInfo {
  name: string;
  section: string;
  kind: ProgramKind;
  /** Whether the simulator can run it (struct_ops and syscall programs). */
  runnable: boolean;
  /** Why not, when runnable is false. */
  refusal?: string;
  /** For an attached tracing program: the simulated event it runs at (loader/attach.ts). */
  attachTo?: string;
  sourceFile?: string;
  /** Instructions of the entry function alone, and of the linked image. */
  insnCount: number;
  image: ProgramImage;
}

export interface StructOpsMember {
  name: string;
  /** For function-pointer members: the program bound through the section's relocation. */
  program?: string;
  /** For scalar members: the value read from the section data. */
  value?: bigint;
}

export interface StructOpsSpec {
  /** The map (its VAR name in the DATASEC), e.g. "simple_ops". */
  name: string;
  mapIndex: number;
  section: '.struct_ops' | '.struct_ops.link';
  /** Kernel struct it targets, e.g. "sched_ext_ops". */
  kernelType: string;
  /** Implemented ops: kernel member name → program name. */
  ops: Record<string, string>;
  /** Scalar members by kernel name (name is decoded separately). */
  scalars: Record<string, bigint>;
  /** The `name` member as a string. */
  opsName: string;
  members: StructOpsMember[];
}

/** A typed kernel symbol (`extern T name __ksym`) the kernel provides; ld_imm64 src 3 with imm = its index. */
export interface KsymVar {
  name: string;
  /** In the kernel's .data..percpu: the address is a per-CPU base for bpf_per_cpu_ptr/bpf_this_cpu_ptr. */
  perCpu: boolean;
  /** Type name in the kernel BTF, and its size. */
  typeName: string;
  size: number;
}

export interface KfuncUse {
  /** Name as written in the object (with ___suffix). */
  name: string;
  /** Name looked up in the kernel (suffix stripped). */
  kernelName: string;
  weak: boolean;
  resolved: boolean;
  kfuncId?: number;
}

export interface CoreReloResult {
  program: string;
  insn: number;
  kind: string;
  /** e.g. "struct task_struct: 0:54:3 (scx.dsq_vtime)". */
  access: string;
  local: string;
  /** Value before and after relocation; undefined target when it failed. */
  localValue: number;
  targetValue?: number;
  poisoned: boolean;
  line?: number;
}

export interface LoadedObject {
  /** File name (basename) the object was read from, for messages. */
  file: string;
  sha256: string;
  btf: Btf;
  maps: MapSpec[];
  programs: ProgramInfo[];
  structOps: StructOpsSpec[];
  globals: GlobalVar[];
  kfuncs: KfuncUse[];
  /** Typed kernel symbols the programs load (by ld_imm64 src 3 index). */
  ksyms?: KsymVar[];
  coreRelos: CoreReloResult[];
  /** Non-fatal observations (e.g. unfilled __SCX_* constants, refused program types). */
  warnings: string[];
}

// The simulator's public vocabulary: every state change is one of these
// events, and a snapshot is the full state at an instant. The recorder writes
// them, the trace reader gives them back, and the renderer draws them (it
// imports these types, never code).
//
// Conventions: times are virtual nanoseconds as numbers (2^53 ns is 104 days,
// far beyond any run); u64 identifiers that can exceed 2^53 (DSQ ids) are
// strings in hex ("0x8000000000000002"); pid 0 is the idle task.

/** Who holds a heap object right now (the ownership ledger: src/sched_ext/runtime/heap.ts). */
export type OwnerRef =
  | { kind: 'program'; program: string; cpu: number }
  | { kind: 'rb_root'; root: string } // root key, e.g. "map cgv_tree[0].root" or "obj 17.root"
  | { kind: 'list_head'; root: string }
  | { kind: 'kptr'; slot: string } // slot key, e.g. "map task_ctx[pid 42].stash"
  | { kind: 'refcount'; count: number } // shared (bpf_refcount > 1): owners listed separately
  | { kind: 'freed' };

export interface SourceSite {
  program: string;
  insn: number;
  file?: string;
  line?: number;
}

export type TaskState = 'new' | 'runnable' | 'running' | 'sleeping' | 'exited';

export type SimEvent =
  | { t: number; kind: 'task_new'; pid: number; comm: string; weight: number; cgroup?: string }
  | { t: number; kind: 'task_exit'; pid: number }
  | { t: number; kind: 'task_state'; pid: number; state: TaskState; cpu: number }
  | { t: number; kind: 'switch'; cpu: number; prevPid: number; nextPid: number }
  | {
      t: number;
      kind: 'op';
      cpu: number;
      op: string; // sched_ext_ops member name: "enqueue", "dispatch", ...
      pid: number; // task argument, or -1
      args: string[]; // other arguments, formatted
      ret?: string;
      insns: number; // instructions executed (callbacks included)
    }
  | { t: number; kind: 'dsq_create'; dsq: string; name: string; vtime: boolean }
  | { t: number; kind: 'dsq_insert'; cpu: number; dsq: string; pid: number; slice: number; vtime?: number; head: boolean }
  | { t: number; kind: 'dsq_remove'; cpu: number; dsq: string; pid: number; reason: 'consume' | 'move' | 'dequeue' | 'run' }
  | { t: number; kind: 'kick'; cpu: number; target: number; flags: string[] }
  | { t: number; kind: 'idle'; cpu: number; idle: boolean }
  | { t: number; kind: 'obj_new'; obj: number; type: string; size: number; site: SourceSite }
  | {
      t: number;
      kind: 'obj_owner';
      obj: number;
      from: OwnerRef;
      to: OwnerRef;
      site?: SourceSite;
      /** For an rb_root/list_head target: the node's index in the root's order after the add (trace replay needs it to rebuild order; omitted = appended at the tail). */
      at?: number;
    }
  | { t: number; kind: 'obj_free'; obj: number; site?: SourceSite }
  | { t: number; kind: 'ringbuf'; map: string; bytes: Uint8Array }
  | { t: number; kind: 'printk'; cpu: number; program: string; text: string }
  | { t: number; kind: 'diagnostic'; diag: Diagnostic }
  | { t: number; kind: 'exit'; exit: ExitInfo };

export type SimEventKind = SimEvent['kind'];

export interface Diagnostic {
  kind:
    | 'leak' // a program returned still owning an object
    | 'use_after_free'
    | 'invalidated_ref' // the kernel verifier would reject this use
    | 'lock_not_held'
    | 'call_under_lock' // a call other than the graph kfuncs and bpf_spin_unlock while holding a bpf_spin_lock
    | 'double_add'
    | 'task_ref_leak'
    | 'fault'
    | 'stall'
    | 'refused';
  message: string;
  program?: string;
  file?: string;
  line?: number;
}

export interface ExitInfo {
  /** scx_exit_kind name: "SCX_EXIT_DONE", "SCX_EXIT_ERROR_BPF", "SCX_EXIT_ERROR_STALL", ... */
  kind: string;
  reason: string;
  message: string;
  /** Source site when the exit came from a fault or scx_bpf_error(). */
  program?: string;
  line?: number;
}

export interface CpuSnapshot {
  cpu: number;
  /** Running pid (0 = idle). */
  curr: number;
  idle: boolean;
  /** The CPU's local DSQ in order. */
  local: number[];
}

export interface DsqSnapshot {
  id: string;
  /** "GLOBAL", "LOCAL(3)" or the user DSQ id in decimal. */
  label: string;
  ordering: 'fifo' | 'vtime' | 'empty';
  tasks: { pid: number; vtime?: number }[];
}

export interface TaskSnapshot {
  pid: number;
  comm: string;
  state: TaskState;
  cpu: number;
  weight: number;
  dsq?: string;
  runtimeNs: number;
  waitNs: number;
  runs: number;
  vtime: number;
  slice: number;
  /** When a runnable task became ready (its current wait started); lets trace replay finish waitNs exactly. */
  readySince?: number;
}

export interface HeapObjectSnapshot {
  id: number;
  type: string;
  size: number;
  owner: OwnerRef;
  refcount: number;
  /** Scalar fields by name for the inspector (e.g. { vtime: "1234", weight: "100" }). */
  fields: Record<string, string>;
  /**
   * Set only in trace replay, where events do not carry field values: `fields`
   * are the values at this time (the last keyframe), not at the snapshot's t.
   * For an object allocated after that keyframe it is the allocation time and
   * `fields` is empty (not recorded).
   */
  fieldsAt?: number;
  site: SourceSite;
}

export interface GraphRootSnapshot {
  key: string;
  kind: 'rb_root' | 'list_head';
  /** Node object ids in order (in-order for rbtrees, head to tail for lists). */
  nodes: number[];
  /** For rbtrees: the tree shape, parent id per node (0 for the root node). */
  parents?: number[];
  /** For rbtrees: red/black per node, parallel to nodes. */
  red?: boolean[];
}

export interface KptrSlotSnapshot {
  key: string;
  map: string;
  field: string;
  obj: number | null;
}

/** A global variable (.bss/.data/.rodata) at an instant: value as decimal for 1/2/4/8-byte scalars, else hex bytes (the first 64). */
export interface GlobalValueSnapshot {
  name: string;
  section: string;
  value: string;
}

/** A BPF map's entries at an instant (the first `MAP_ENTRIES_SHOWN` of them): key label and value (decimal for 1/2/4/8-byte values, else hex of the first 32 bytes). */
export interface MapContentSnapshot {
  name: string;
  /** bpftool's name for the map type: "hash", "array", "task_storage", ... */
  type: string;
  /** Live entries in the map; `entries` holds at most the first 64. */
  count: number;
  entries: { key: string; value: string }[];
}

/**
 * A BPF arena (BPF_MAP_TYPE_ARENA) at an instant: its mapped page runs (the
 * object's __arena globals, or bpf_arena_alloc_pages allocations), how many
 * of its pages are mapped, and the accesses that hit an unmapped page (the
 * kernel reads 0 / drops the write there instead of faulting).
 */
export interface ArenaSnapshot {
  name: string;
  /** max_entries: the arena's size in pages. */
  maxPages: number;
  pageSize: number;
  /** The address of page 0 (the same in both address spaces here), hex. */
  userVmStart: string;
  /** Mapped runs in page order: the __arena globals, bpf_arena_alloc_pages allocations, pages userspace touched. */
  runs: { page: number; count: number; kind: 'globals' | 'alloc' | 'user' }[];
  /** Mapped pages: the sum of `runs` counts. */
  pagesInUse: number;
  unmappedReads: number;
  unmappedWrites: number;
}

export interface SimSnapshot {
  t: number;
  cpus: CpuSnapshot[];
  dsqs: DsqSnapshot[];
  tasks: TaskSnapshot[];
  heap: HeapObjectSnapshot[];
  roots: GraphRootSnapshot[];
  slots: KptrSlotSnapshot[];
  exited?: ExitInfo;
  /** The scheduler's global variables at `t` (absent when the snapshot source has no BPF runtime). */
  globals?: GlobalValueSnapshot[];
  /**
   * Set only in trace replay, where events do not carry global writes:
   * `globals` are the values at this time (the keyframe), not at `t`.
   */
  globalsAt?: number;
  /** Entries of the scheduler's maps (not global data or struct_ops), like `globals` carried by keyframes; replay gives the keyframe's with `globalsAt`. */
  maps?: MapContentSnapshot[];
  /** The scheduler's arenas, carried by keyframes like `maps` (replay: the keyframe's, as of `globalsAt`). */
  arenas?: ArenaSnapshot[];
}

export interface MachineSpec {
  cpus: number;
  /** CPUs per SMT core, per LLC, per NUMA node (1 = no sharing). */
  smt?: number;
  llc?: number;
  numa?: number;
}

/** Describes a run: stored in trace headers and shown by the UI. */
export interface RunInfo {
  scheduler: string;
  objectFile: string;
  objectSha256: string;
  workload: string;
  seed: number;
  machine: MachineSpec;
  kernelVersion: string;
  scxrayVersion: string;
  /** The setup module (the scheduler's userspace half) the run used; its output is printk from program "setup". */
  setup?: { file: string; sha256: string };
}

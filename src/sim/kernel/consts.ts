// sched_ext constants the simulated kernel acts on. Values mirror
// include/linux/sched/ext.h and kernel/sched/ext_internal.h (the same values
// assets/include/vmlinux.h declares, so schedulers and the core agree).


export const DSQ_FLAG_BUILTIN = 1n << 63n;
export const DSQ_FLAG_LOCAL_ON = 1n << 62n;
export const DSQ_INVALID = DSQ_FLAG_BUILTIN;
export const DSQ_GLOBAL = DSQ_FLAG_BUILTIN | 1n;
export const DSQ_LOCAL = DSQ_FLAG_BUILTIN | 2n;
export const DSQ_LOCAL_ON = DSQ_FLAG_BUILTIN | DSQ_FLAG_LOCAL_ON;
export const DSQ_LOCAL_CPU_MASK = 0xffff_ffffn;

export const SLICE_DFL = 20_000_000n;
export const SLICE_INF = (1n << 64n) - 1n;

/** SCX_DSP_DFL_MAX_BATCH and SCX_DSP_MAX_LOOPS (ext_internal.h). */
export const DSP_DFL_MAX_BATCH = 32;
export const DSP_MAX_LOOPS = 32;
/** SCX_WATCHDOG_MAX_TIMEOUT is 30 s; ops.timeout_ms 0 means that. */
export const WATCHDOG_MAX_TIMEOUT_MS = 30_000;

export const OpsFlag = {
  KEEP_BUILTIN_IDLE: 1n,
  ENQ_LAST: 2n,
  ENQ_EXITING: 4n,
  SWITCH_PARTIAL: 8n,
  ENQ_MIGRATION_DISABLED: 16n,
  ALLOW_QUEUED_WAKEUP: 32n,
  BUILTIN_IDLE_PER_NODE: 64n,
  HAS_CGROUP_WEIGHT: 1n << 16n,
} as const;
export const OPS_ALL_FLAGS = 65663n;

export const WakeFlag = { FORK: 4, TTWU: 8, SYNC: 16 } as const;

export const EnqFlag = {
  WAKEUP: 1n,
  HEAD: 16n,
  CPU_SELECTED: 1024n,
  PREEMPT: 1n << 32n,
  IMMED: 1n << 33n,
  REENQ: 1n << 40n,
  LAST: 1n << 41n,
  /** Internal: vtime-ordered insertion (SCX_ENQ_DSQ_PRIQ). */
  DSQ_PRIQ: 1n << 57n,
} as const;
/** __SCX_ENQ_INTERNAL_MASK: bits a BPF scheduler may not pass. */
export const ENQ_INTERNAL_MASK = 0xffn << 56n;

export const DeqFlag = { SLEEP: 1n, CORE_SCHED_EXEC: 1n << 32n, SCHED_CHANGE: 1n << 33n } as const;

export const KickFlag = { IDLE: 1, PREEMPT: 2, WAIT: 4 } as const;

export const PickIdleFlag = { CORE: 1, IN_NODE: 2 } as const;

/** SCX_DSQ_ITER_REV and the iterator's internal bits (ext.c). */
export const DSQ_ITER_REV = 1n << 16n;
export const DSQ_ITER_USER_FLAGS = DSQ_ITER_REV;

/** enum scx_kf_mask: which kfuncs the running op may call (ext.c scx_kf_allowed). */
export const KfMask = {
  UNLOCKED: 0,
  CPU_RELEASE: 1,
  DISPATCH: 2,
  ENQUEUE: 4,
  SELECT_CPU: 8,
  REST: 16,
} as const;

export const ExitKind = {
  NONE: 0,
  DONE: 1,
  UNREG: 64,
  UNREG_BPF: 65,
  UNREG_KERN: 66,
  SYSRQ: 67,
  ERROR: 1024,
  ERROR_BPF: 1025,
  ERROR_STALL: 1026,
} as const;
export type ExitKindName = keyof typeof ExitKind;

/** The enum name the kernel prints for an exit kind ("SCX_EXIT_ERROR_BPF"). */
export function exitKindName(kind: number): string {
  for (const [k, v] of Object.entries(ExitKind)) if (v === kind) return `SCX_EXIT_${k}`;
  return `SCX_EXIT_${kind}`;
}

/** PF_EXITING from include/linux/sched.h: ENQ_EXITING is about tasks carrying it. */
export const PF_EXITING = 0x4;

/**
 * kernel/sched/core.c sched_prio_to_weight[]: nice -20..19 to CFS load weight;
 * nice 0 is 1024.
 */
export const SCHED_PRIO_TO_WEIGHT: readonly number[] = [
  88761, 71755, 56483, 46273, 36291,
  29154, 23254, 18705, 14949, 11916,
  9548, 7620, 6100, 4904, 3906,
  3121, 2501, 1991, 1586, 1277,
  1024, 820, 655, 526, 423,
  335, 272, 215, 172, 137,
  110, 87, 70, 56, 45,
  36, 29, 23, 18, 15,
];

/**
 * The scx weight of a nice level, like scx_enable_task(): the CFS weight of
 * static_prio mapped by sched_weight_to_cgroup() = clamp(round(w * 100 /
 * 1024), 1, 10000), so nice 0 is 100.
 */
export function scxWeightFromNice(nice: number): number {
  const idx = Math.max(-20, Math.min(19, Math.trunc(nice))) + 20;
  return cgroupWeightFromSched(SCHED_PRIO_TO_WEIGHT[idx]!);
}

export function cgroupWeightFromSched(weight: number): number {
  return Math.max(1, Math.min(10000, Math.floor((weight * 100 + 512) / 1024)));
}

/** static_prio = MAX_RT_PRIO (100) + 20 + nice, as in NICE_TO_PRIO(). */
export function staticPrioFromNice(nice: number): number {
  return 120 + Math.max(-20, Math.min(19, Math.trunc(nice)));
}

/** Formatted ids by value: a run has few DSQs, and every dsq_insert/dsq_remove event formats one. */
const dsqIdStrings = new Map<bigint, string>();

export function dsqIdString(id: bigint): string {
  let s = dsqIdStrings.get(id);
  if (s === undefined) {
    s = '0x' + BigInt.asUintN(64, id).toString(16);
    if (dsqIdStrings.size >= 4096) dsqIdStrings.clear(); // bounded: ids come from BPF code
    dsqIdStrings.set(id, s);
  }
  return s;
}


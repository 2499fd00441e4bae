// The workload format (docs/workloads.md): cgroups, and groups of tasks
// each running a loop of steps — CPU bursts, sleeps, waits for a partner,
// wakeups of other tasks, forks, nice/affinity changes, exit. Durations are
// nanoseconds or strings with a unit ("5ms", "200us", "1.5s"), or a seeded
// distribution.

import { z } from 'zod';
import { MAX_CGROUPS, MAX_CPUS, MAX_TASKS } from '../../base/limits';

const DURATION_RE = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s)?\s*$/;

export function parseDuration(v: string | number): number {
  if (typeof v === 'number') return v;
  const m = DURATION_RE.exec(v);
  if (!m) throw new Error(`bad duration "${v}" (expected a number of ns or e.g. "5ms", "200us", "1.5s")`);
  const mult = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 }[(m[2] ?? 'ns') as 'ns'];
  return Math.round(Number(m[1]) * mult);
}

const FixedDuration = z.union([z.number().nonnegative(), z.string().regex(DURATION_RE, 'a duration such as "5ms", "200us", "1s"')])
  .transform((v) => parseDuration(v));

export const DurationSpec = z.union([
  FixedDuration.transform((ns) => ({ dist: 'fixed' as const, value: ns })),
  z.object({ dist: z.literal('fixed'), value: FixedDuration }).strict(),
  z.object({ dist: z.literal('uniform'), min: FixedDuration, max: FixedDuration }).strict(),
  z.object({ dist: z.literal('exp'), mean: FixedDuration }).strict(),
  z.object({ dist: z.literal('normal'), mean: FixedDuration, stddev: FixedDuration }).strict(),
]);
export type DurationDist = z.infer<typeof DurationSpec>;

const CPU_LIST_RE = /^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$/;

/** Why a CPU list string names CPUs no machine has (or a backwards range), or null when it is fine. */
export function cpuListProblem(spec: string): string | null {
  for (const part of spec.split(',')) {
    const [a, b] = part.split('-').map((x) => Number(x.trim()));
    const lo = a!;
    const hi = b ?? lo;
    if (!Number.isSafeInteger(hi) || hi >= MAX_CPUS) return `CPU ${part.trim()} is beyond the largest machine (CPUs 0-${MAX_CPUS - 1})`;
    if (hi < lo) return `range ${part.trim()} runs backwards`;
  }
  return null;
}

/** "0-3,6" or [0, 1, 2]; every CPU below MAX_CPUS. */
export const CpuListSpec = z.union([
  z.array(z.number().int().nonnegative().max(MAX_CPUS - 1, `a CPU number from 0 to ${MAX_CPUS - 1}`)).max(MAX_CPUS),
  z.string().max(4096).regex(CPU_LIST_RE, 'a CPU list such as "0-3,6"').superRefine((v, ctx) => {
    const problem = cpuListProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
]);

export const StepSpec = z.union([
  z.object({ run: DurationSpec }).strict(),
  z.object({ sleep: DurationSpec }).strict(),
  /** Sleep until the next multiple of the period since the task started (periodic wakeups). */
  z.object({ period: FixedDuration }).strict(),
  /** Block until another task wakes this one (a pipe read); a wakeup that came first is not lost. */
  z.object({ wait: z.literal(true) }).strict(),
  /** Wake the task of `group` with the same index as this one ("same") or every task of it ("all"). */
  z.object({ wake: z.string(), which: z.enum(['same', 'all', 'next']).default('same') }).strict(),
  z.object({ fork: z.string(), count: z.number().int().positive().max(MAX_TASKS, `at most ${MAX_TASKS} tasks (the per-run task cap)`).default(1) }).strict(),
  z.object({ nice: z.number().int().min(-20).max(19) }).strict(),
  /** setpriority() on every task of another group: queued targets go through dequeue/enqueue (SCX_DEQ_SCHED_CHANGE). */
  z.object({ renice: z.object({ group: z.string(), nice: z.number().int().min(-20).max(19) }).strict() }).strict(),
  z.object({ affinity: CpuListSpec }).strict(),
  z.object({ yield: z.literal(true) }).strict(),
  /** Move this task to another cgroup (cgroup_prep_move → cgroup_move). */
  z.object({ cgroup: z.string() }).strict(),
  /** Change a cgroup's cpu.weight (cgroup_set_weight). */
  z.object({ cgroupWeight: z.object({ path: z.string(), weight: z.number().int().min(1).max(10000) }).strict() }).strict(),
  /** Write a cgroup's cpu.max ("quota period", quota "max" = no limit) and cpu.max.burst: ops.cgroup_set_bandwidth on v6.17+. */
  z.object({ cgroupBandwidth: z.object({
    path: z.string(),
    quotaUs: z.union([z.number().int().min(1000).max(2 ** 40), z.literal('max')]),
    periodUs: z.number().int().min(1000).max(1_000_000).default(100_000),
    burstUs: z.number().int().min(0).max(2 ** 40).default(0),
  }).strict() }).strict(),
  /** Write a cgroup's cpu.idle: ops.cgroup_set_idle on v6.19+. */
  z.object({ cgroupIdle: z.object({ path: z.string(), idle: z.boolean() }).strict() }).strict(),
  z.object({ exit: z.literal(true) }).strict(),
]);
export type Step = z.infer<typeof StepSpec>;

export const TaskGroupSpec = z.object({
  /** Group name: tasks are "<name>-<index>" unless comm is given. */
  name: z.string().min(1).max(64),
  comm: z.string().max(15).optional(),
  count: z.number().int().min(0).max(MAX_TASKS, `at most ${MAX_TASKS} tasks (the per-run task cap)`).default(1),
  nice: z.number().int().min(-20).max(19).default(0),
  /** SCHED_NORMAL tasks stay in the fair class when the scheduler sets SCX_OPS_SWITCH_PARTIAL; "ext" tasks always use it. */
  policy: z.enum(['ext', 'normal']).default('ext'),
  cpus: CpuListSpec.optional(),
  cgroup: z.string().optional(),
  /** When the group's tasks appear (fork); 0 means they exist when the scheduler loads. */
  start: FixedDuration.default(0),
  /** Spread starts: task i starts at start + i * stagger. */
  stagger: FixedDuration.default(0),
  /** Templates are only created by fork steps. */
  template: z.boolean().default(false),
  /** Run the steps this many times, then exit; default forever. */
  repeat: z.number().int().positive().optional(),
  /** Tasks begin blocked in a wait (the passive side of a pipe). */
  startBlocked: z.boolean().default(false),
  steps: z.array(StepSpec).min(1),
  /** Set by `scxray workload import`: the traced task this group replays (behaviour ignores it). */
  trace: z.object({
    pid: z.number().int().nonnegative(),
    kthread: z.boolean().default(false),
    /** Real-time in the trace (prio below 100): replayed at nice -20. */
    realtime: z.boolean().default(false),
    /** The trace shows only part of the task: it existed before the trace began, or was still alive at its end. */
    partial: z.enum(['start', 'end', 'both']).optional(),
  }).strict().optional(),
}).strict();
export type TaskGroup = z.infer<typeof TaskGroupSpec>;

export const CgroupSpec = z.object({
  path: z.string().regex(/^(\/[A-Za-z0-9_.-]+)+$/, 'an absolute path such as "/batch/low"'),
  weight: z.number().int().min(1).max(10000).default(100),
}).strict();

export const WorkloadSpec = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  /** Preferred machine size when the command line does not give one. */
  cpus: z.number().int().min(1).max(MAX_CPUS).optional(),
  /** Task counts may scale with the CPU count: "count": "4x" is not JSON-typed, so use perCpu. */
  cgroups: z.array(CgroupSpec).max(MAX_CGROUPS).default([]),
  /** CPU hotplug: at a time, take a CPU offline or bring it back (ops.cpu_offline/cpu_online). */
  hotplug: z.array(z.object({ at: FixedDuration, cpu: z.number().int().min(0).max(MAX_CPUS - 1), online: z.boolean() }).strict()).default([]),
  /**
   * Timing irregularity of real hardware, deterministic per seed (off when
   * absent): tickPhase offsets each CPU's tick by a seeded phase in [0, 1 ms),
   * so slice ends fall between a task's start and the next tick (overruns);
   * jitter scales every run and sleep duration by a seeded factor in
   * [1 - jitter, 1 + jitter] (period steps keep their boundaries). On in
   * the presets overload, fork-burst and pipe-pingpong.
   */
  timing: z.object({
    tickPhase: z.boolean().default(false),
    jitter: z.number().min(0).max(0.5).default(0),
  }).strict().optional(),
  groups: z.array(TaskGroupSpec.extend({ perCpu: z.number().positive().max(MAX_TASKS, `at most ${MAX_TASKS} tasks per CPU (the per-run task cap)`).optional() })).min(1),
  /** Set by `scxray workload import`: the trace this workload came from and the traced machine's topology. */
  origin: z.object({
    source: z.string(),
    format: z.enum(['ftrace', 'perf', 'perfetto-json']),
    startNs: z.number().nonnegative(),
    endNs: z.number().nonnegative(),
    smt: z.number().int().positive().optional(),
    llc: z.number().int().positive().optional(),
    numa: z.number().int().positive().optional(),
    /** Traced tasks left out by the import's filters (kernel threads, comm patterns). */
    excluded: z.number().int().nonnegative().default(0),
  }).strict().optional(),
}).strict();
export type Workload = z.infer<typeof WorkloadSpec>;
export type WorkloadGroup = Workload['groups'][number];

export function parseCpuList(spec: z.infer<typeof CpuListSpec>, nrCpus: number): Uint8Array {
  const out = new Uint8Array(nrCpus);
  const list = typeof spec === 'string'
    ? spec.split(',').flatMap((part) => {
        const [a, b] = part.split('-').map((x) => Number.parseInt(x.trim(), 10));
        const lo = a!;
        // Only CPUs the machine has: a range far past it must not become a huge array.
        const hi = Math.min(b ?? lo, nrCpus - 1);
        return Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
      })
    : spec;
  for (const c of list) if (c < nrCpus) out[c] = 1;
  return out;
}

// What the core needs from a scheduler: which ops it implements, its scalar
// settings, and a way to run one op with the u64 ctx[] the kernel passes.
// bpf_ops.ts binds this to a loaded BPF object; tests may implement it in
// TypeScript to pin a rule without a compiler in the loop.

export const OP_NAMES = [
  'select_cpu', 'enqueue', 'dequeue', 'dispatch', 'tick', 'runnable', 'running', 'stopping', 'quiescent',
  'yield', 'core_sched_before', 'set_weight', 'set_cpumask', 'update_idle', 'cpu_acquire', 'cpu_release',
  'init_task', 'exit_task', 'enable', 'disable', 'dump', 'dump_cpu', 'dump_task', 'cgroup_init', 'cgroup_exit',
  'cgroup_prep_move', 'cgroup_move', 'cgroup_cancel_move', 'cgroup_set_weight', 'cgroup_set_bandwidth',
  'cgroup_set_idle', 'cpu_online', 'cpu_offline', 'init', 'exit',
] as const;

export type OpName = (typeof OP_NAMES)[number];

export interface OpResult {
  ret: bigint;
  insns: number;
}

export interface SchedOps {
  /** ops.name. */
  readonly name: string;
  readonly flags: bigint;
  /** ops.timeout_ms (0 = the 30 s default). */
  readonly timeoutMs: number;
  /** ops.dispatch_max_batch (0 = SCX_DSP_DFL_MAX_BATCH). */
  readonly dispatchMaxBatch: number;
  readonly exitDumpLen: number;
  has(op: OpName): boolean;
  /** The program bound to an op, for events and diagnostics. */
  programOf(op: OpName): string | undefined;
  /** Source location of an instruction, for errors the kernel detects after a kfunc returned. */
  sourceLine?(program: string, insn: number): { file: string; line: number } | undefined;
  /** Run an op. Throws BpfFault when the program faults. */
  call(op: OpName, args: readonly bigint[]): OpResult;
  /** Whether any tracing program is attached (core/tracepoints.ts); the hooks cost one check when not. */
  readonly tracing?: boolean;
  /** The programs attached to a simulated tracepoint. */
  tracepointPrograms?(event: string): readonly string[];
  /** Run an attached tracing program with ctx[] = args. Throws BpfFault when it faults. */
  callProgram?(name: string, args: readonly bigint[]): OpResult;
}

// What happened in a selected time range [t0, t1) of a run: per task, per op,
// per source line and per DSQ. One function computes it from a trace
// (src/sim/trace/range_summary.ts); `scxray replay TRACE --summary --from T0
// --to T1 --json` prints it and the UI's Range tab (protocol `rangeSummary`)
// shows it, so both read the same numbers.

/** p50/p90/p99/max by nearest rank, and how many samples there were (sim/summary percentiles()). */
export interface RangePercentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  samples: number;
}

export interface RangeTaskRow {
  pid: number;
  comm: string;
  /** Time spent running inside the range, ns. */
  runtimeNs: number;
  /** Time spent runnable (waiting in a DSQ or for a CPU) inside the range, ns. */
  waitNs: number;
  /** Times the task started running inside the range. */
  runs: number;
  /**
   * Wakeup latency: from becoming runnable after sleeping (or when new) to running, for wakeups whose whole wait
   * lies inside the range.
   */
  wakeLatencyNs: RangePercentiles;
}

export interface RangeOpRow {
  /** sched_ext_ops member: "enqueue", "dispatch", ... */
  op: string;
  calls: number;
  /** BPF instructions executed by these calls (callbacks included). */
  insns: number;
  /** insns / calls. */
  meanInsns: number;
  maxInsns: number;
}

/** Ownership events (bpf_obj_new, owner changes, drops) attributed to one source line. */
export interface RangeLineRow {
  /** The source file as BTF line_info names it; "" when the trace has no file for the site. */
  file: string;
  /** 0 when the site has no line. */
  line: number;
  /** The programs whose instructions at this line caused them (an inlined helper's line is shared). */
  programs: string[];
  allocs: number;
  moves: number;
  frees: number;
  total: number;
}

export interface RangeDsqRow {
  /** As people say it: GLOBAL, LOCAL(3), DSQ 7 (model/text dsqName, or the name dsq_create recorded). */
  dsq: string;
  /** The most tasks queued at once, counting events in recorded order (an insert and remove at one instant too). */
  maxDepth: number;
  /** Depth at t0. */
  startDepth: number;
  inserts: number;
}

export interface RangeSummary {
  t0: number;
  t1: number;
  /** Events read to compute it (of the kinds it uses). */
  events: number;
  /** More events than one summary reads: the figures stop at `t1`, lowered to the last event read. */
  truncated: boolean;
  /** Tasks that ran, waited or woke inside the range; by runtime, then pid. */
  tasks: RangeTaskRow[];
  /** Wakeup latency over all tasks. */
  wakeLatencyNs: RangePercentiles;
  /** By instructions executed, most first. */
  ops: RangeOpRow[];
  /** By event count, most first. */
  lines: RangeLineRow[];
  /** DSQs with a task queued at some point in the range; by max depth, then name. */
  dsqs: RangeDsqRow[];
}

// struct scx_event_stats (kernel/sched/ext_internal.h, v6.15+; the v6.16+
// field set, unchanged through v6.18): the core's event counters, bumped
// where kernel/sched/ext.c calls __scx_add_event() for each, and read by
// scx_bpf_events() (kfuncs/events.ts).
//
//   SELECT_CPU_FALLBACK          enqueue_task_scx(): woken with SCX_ENQ_CPU_SELECTED
//                                on another CPU than ops.select_cpu() picked
//   DISPATCH_LOCAL_DSQ_OFFLINE   task_can_run_on_remote_rq(enforce): a local
//                                dispatch to an offline CPU went global
//   DISPATCH_KEEP_LAST           balance_one(): nothing else to run, prev kept
//                                (no SCX_OPS_ENQ_LAST)
//   ENQ_SKIP_EXITING             do_enqueue_task(): an exiting task went to the
//                                local DSQ without ops.enqueue (no SCX_OPS_ENQ_EXITING)
//   ENQ_SKIP_MIGRATION_DISABLED  do_enqueue_task(): never counted here, the
//                                simulator has no migrate_disable() sections
//   REFILL_SLICE_DFL             refill_task_slice_dfl(): the core gave a task
//                                SCX_SLICE_DFL (pick_task_scx with an empty slice,
//                                the local/global shortcuts of do_enqueue_task,
//                                select_task_rq_scx's built-in idle pick)
//   BYPASS_DURATION              scx_bypass(false): added when bypass ends, which
//                                here only happens after the scheduler is gone
//   BYPASS_DISPATCH              do_enqueue_task(): an enqueue while bypassing
//   BYPASS_ACTIVATE              scx_bypass(true): bypass began (the exit path)

/** struct scx_event_stats, in field order (9 s64 counters). */
export const SCX_EVENTS = [
  'SCX_EV_SELECT_CPU_FALLBACK',
  'SCX_EV_DISPATCH_LOCAL_DSQ_OFFLINE',
  'SCX_EV_DISPATCH_KEEP_LAST',
  'SCX_EV_ENQ_SKIP_EXITING',
  'SCX_EV_ENQ_SKIP_MIGRATION_DISABLED',
  'SCX_EV_REFILL_SLICE_DFL',
  'SCX_EV_BYPASS_DURATION',
  'SCX_EV_BYPASS_DISPATCH',
  'SCX_EV_BYPASS_ACTIVATE',
] as const;
export type ScxEvent = (typeof SCX_EVENTS)[number];

/** Index of each counter in EventStats.counts (the field's position in the struct). */
export const EV = {
  SELECT_CPU_FALLBACK: 0,
  DISPATCH_LOCAL_DSQ_OFFLINE: 1,
  DISPATCH_KEEP_LAST: 2,
  ENQ_SKIP_EXITING: 3,
  ENQ_SKIP_MIGRATION_DISABLED: 4,
  REFILL_SLICE_DFL: 5,
  BYPASS_DURATION: 6,
  BYPASS_DISPATCH: 7,
  BYPASS_ACTIVATE: 8,
} as const;

export class EventStats {
  /** One counter per SCX_EVENTS entry (whole numbers; a Float64Array is exact far past any run's counts). */
  readonly counts = new Float64Array(SCX_EVENTS.length);

  /** __scx_add_event(). */
  add(ev: number, n = 1): void {
    this.counts[ev]! += n;
  }

  get(name: ScxEvent): number {
    return this.counts[SCX_EVENTS.indexOf(name)]!;
  }

  /** Name → count, for tests and dumps. */
  toRecord(): Record<ScxEvent, number> {
    return Object.fromEntries(SCX_EVENTS.map((e, i) => [e, this.counts[i]!])) as Record<ScxEvent, number>;
  }
}

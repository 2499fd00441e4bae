// scx_bpf_events() (kernel/sched/ext.c, v6.15+): copy the scheduler's event
// counters into a struct scx_event_stats of the caller's size. Like the
// kernel, it writes min(events__sz, sizeof(struct scx_event_stats)) bytes so
// an object built against an older or newer vmlinux.h stays in bounds.
//
// The simulated core does not count these events yet, so every counter reads
// 0 except the bypass ones, which reflect whether the scheduler is on its way
// out (the kernel enters bypass mode while disabling).

import type { KfuncContext, KfuncSink } from './context';
import { registrar } from './context';

/** struct scx_event_stats, in field order (9 s64 counters, v6.16+ names). */
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

export function registerEventKfuncs(sink: KfuncSink, kc: KfuncContext): void {
  const reg = registrar(sink, kc);
  reg('scx_bpf_events', (env) => {
    const core = kc.core();
    const values: Record<ScxEvent, bigint> = Object.fromEntries(SCX_EVENTS.map((e) => [e, 0n])) as Record<ScxEvent, bigint>;
    if (core.bypass) values.SCX_EV_BYPASS_ACTIVATE = 1n;
    const size = Math.min(Number(BigInt.asUintN(64, env.arg(2))), SCX_EVENTS.length * 8);
    if (size === 0) return;
    const { region, offset } = env.space.resolve(env.arg(1), size, true);
    const bytes = new Uint8Array(SCX_EVENTS.length * 8);
    const view = new DataView(bytes.buffer);
    SCX_EVENTS.forEach((e, i) => view.setBigInt64(i * 8, values[e], true));
    region.bytes.set(bytes.subarray(0, size), offset);
  });
}

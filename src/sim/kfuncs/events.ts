// scx_bpf_events() (kernel/sched/ext.c, v6.15+): copy the scheduler's event
// counters (core/event_stats.ts, counted where the kernel counts each) into a
// struct scx_event_stats of the caller's size. Like the kernel, it writes
// min(events__sz, sizeof(struct scx_event_stats)) bytes so an object built
// against an older or newer vmlinux.h stays in bounds.

import type { KfuncContext, KfuncSink } from './context';
import { registrar } from './context';
import { SCX_EVENTS } from '../core/event_stats';

export { SCX_EVENTS, type ScxEvent } from '../core/event_stats';

export function registerEventKfuncs(sink: KfuncSink, kc: KfuncContext): void {
  const reg = registrar(sink, kc);
  reg('scx_bpf_events', (env) => {
    const counts = kc.core().events.counts;
    const size = Math.min(Number(BigInt.asUintN(64, env.arg(2))), SCX_EVENTS.length * 8);
    if (size === 0) return;
    const { region, offset } = env.space.resolve(env.arg(1), size, true);
    const bytes = new Uint8Array(SCX_EVENTS.length * 8);
    const view = new DataView(bytes.buffer);
    SCX_EVENTS.forEach((_e, i) => view.setBigInt64(i * 8, BigInt(counts[i]!), true));
    region.bytes.set(bytes.subarray(0, size), offset);
  });
}

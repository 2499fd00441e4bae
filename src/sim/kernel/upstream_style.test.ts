// A scheduler written the way the kernel's tools/sched_ext schedulers are:
// `#include "vmlinux.h"` and nothing of ours beyond it. Everything an
// upstream scx header set would provide (SEC, __ksym, the bpf_for_each
// iterator macro, weak `const volatile u64 __SCX_*` constants that userspace
// fills from kernel enumerators, the possible-CPU iterator over
// bpf_iter_bits) is spelled out in the source below, so the test shows that
// our vmlinux.h carries what such a scheduler needs: struct bpf_iter_bits,
// struct scx_event_stats, BPF_MAX_LOOPS, BPF_F_TIMER_CPU_PIN and enum
// scx_rq_flags (for the __SCX_RQ_* constants).

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../simulation';
import { compileGenerated } from '../../../test/support/bpf';
import type { SimEvent } from '../../model/events';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const OUT_DIR = join(ROOT, 'test/bpf/build/upstream_style');
const MS = 1_000_000;

const SOURCE = String.raw`/* SPDX-License-Identifier: MIT */
/* Upstream style: vmlinux.h plus the scheduler's own header-ish definitions. */
#include "vmlinux.h"

#define SEC(name) __attribute__((section(name), used))
#define __ksym __attribute__((section(".ksyms")))
#define __weak __attribute__((weak))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define NULL ((void *)0)

static long (* const bpf_get_smp_processor_id)(void) = (void *)8;
static void *(* const bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (* const bpf_timer_init)(struct bpf_timer *timer, void *map, u64 flags) = (void *)169;
static long (* const bpf_timer_set_callback)(struct bpf_timer *timer, void *callback_fn) = (void *)170;
static long (* const bpf_timer_start)(struct bpf_timer *timer, u64 nsecs, u64 flags) = (void *)171;
static long (* const bpf_loop)(u32 nr_loops, void *callback_fn, void *callback_ctx, u64 flags) = (void *)181;

/* enums.autogen.h style: filled by the loader from the kernel's enumerators */
const volatile u64 __SCX_RQ_ONLINE __weak;
const volatile u64 __SCX_RQ_CAN_STOP_TICK __weak;
const volatile u64 __SCX_RQ_BAL_PENDING __weak;
const volatile u64 __SCX_RQ_BAL_KEEP __weak;
const volatile u64 __SCX_RQ_BYPASSING __weak;
const volatile u64 __SCX_RQ_CLK_VALID __weak;
const volatile u64 __SCX_RQ_IN_WAKEUP __weak;
const volatile u64 __SCX_RQ_IN_BALANCE __weak;
const volatile u64 __SCX_SLICE_DFL __weak;
#define SCX_RQ_ONLINE __SCX_RQ_ONLINE
#define SCX_RQ_IN_BALANCE __SCX_RQ_IN_BALANCE
#define SCX_SLICE_DFL __SCX_SLICE_DFL

/* void, as every release declares it; v6.19's bool form is scx_bpf_dsq_insert___v2 */
void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym __weak;
void scx_bpf_exit_bstr(s64 exit_code, char *fmt, unsigned long long *data, u32 data__sz) __ksym __weak;
void scx_bpf_events(struct scx_event_stats *events, size_t events__sz) __ksym __weak;
const struct cpumask *scx_bpf_get_possible_cpumask(void) __ksym __weak;
void scx_bpf_put_cpumask(const struct cpumask *cpumask) __ksym __weak;
int bpf_iter_bits_new(struct bpf_iter_bits *it, const u64 *unsafe_ptr__ign, u32 nr_words) __ksym __weak;
int *bpf_iter_bits_next(struct bpf_iter_bits *it) __ksym __weak;
void bpf_iter_bits_destroy(struct bpf_iter_bits *it) __ksym __weak;

/* A possible-CPU iterator wrapping bpf_iter_bits, as the scx headers define it. */
struct bpf_iter_possible {
	struct bpf_iter_bits it;
	const struct cpumask *bitmap;
};
static inline int bpf_iter_possible_new(struct bpf_iter_possible *it, const u64 *unused, u32 unused_words)
{
	it->bitmap = scx_bpf_get_possible_cpumask();
	return bpf_iter_bits_new(&it->it, (const u64 *)it->bitmap, sizeof(struct cpumask) / 8);
}
static inline int *bpf_iter_possible_next(struct bpf_iter_possible *it)
{
	return bpf_iter_bits_next(&it->it);
}
static inline void bpf_iter_possible_destroy(struct bpf_iter_possible *it)
{
	scx_bpf_put_cpumask(it->bitmap);
	bpf_iter_bits_destroy(&it->it);
}
#define bpf_for_each(type, cur, args...) for (					\
	struct bpf_iter_##type ___it __attribute__((aligned(8),			\
		cleanup(bpf_iter_##type##_destroy))),				\
	*___p __attribute__((unused)) = (					\
		bpf_iter_##type##_new(&___it, ##args),				\
		(void)bpf_iter_##type##_destroy, (void *)0);			\
	(((cur) = bpf_iter_##type##_next(&___it)));				\
)
#define for_each_possible_cpu(cpu) bpf_for_each(possible, cpu, NULL, 0)

char _license[] SEC("license") = "GPL";

struct timer_wrapper {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct timer_wrapper);
} monitor_timer SEC(".maps");

u64 armed_cpu;

static long one_step(u32 i, void *ctx)
{
	return 1;
}

static int monitor_timerfn(void *map, int *key, struct bpf_timer *timer)
{
	struct scx_event_stats events;
	struct scx_event_stats part;
	unsigned long long args[8];
	static char fmt[] = "cpus=%d sum=%d online=%llu in_balance=%llu max_loops=%d events_ok=%d pinned=%d partial=%d";
	int *cpu;
	int nr = 0, sum = 0;

	for_each_possible_cpu(cpu) {
		nr++;
		sum += *cpu;
	}
	__builtin_memset(&events, 0xff, sizeof(events));
	scx_bpf_events(&events, sizeof(events));

	args[0] = nr;
	args[1] = sum;
	args[2] = SCX_RQ_ONLINE;
	args[3] = SCX_RQ_IN_BALANCE;
	args[4] = bpf_loop(BPF_MAX_LOOPS, one_step, NULL, 0) == 1 ? BPF_MAX_LOOPS : -1;
	/* no select_cpu op: the built-in idle pick refills SCX_SLICE_DFL (counted); nothing fell back or bypassed */
	args[5] = events.SCX_EV_SELECT_CPU_FALLBACK == 0 && events.SCX_EV_REFILL_SLICE_DFL > 0 &&
		  events.SCX_EV_REFILL_SLICE_DFL != -1 && events.SCX_EV_BYPASS_ACTIVATE == 0;
	args[6] = bpf_get_smp_processor_id() == armed_cpu;
	/* a smaller (older vmlinux.h) struct: only events__sz bytes are written */
	__builtin_memset(&part, 0xff, sizeof(part));
	scx_bpf_events(&part, 2 * sizeof(s64));
	args[7] = part.SCX_EV_SELECT_CPU_FALLBACK == 0 && part.SCX_EV_DISPATCH_LOCAL_DSQ_OFFLINE == 0 &&
		  part.SCX_EV_DISPATCH_KEEP_LAST == -1 && part.SCX_EV_BYPASS_ACTIVATE == -1;
	scx_bpf_exit_bstr(0, fmt, args, sizeof(args));
	return 0;
}

SEC("struct_ops/up_enqueue")
void up_enqueue(unsigned long long *ctx)
{
	scx_bpf_dsq_insert((struct task_struct *)ctx[0], SCX_DSQ_GLOBAL, SCX_SLICE_DFL, ctx[1]);
}

SEC("struct_ops/up_dispatch")
void up_dispatch(unsigned long long *ctx)
{
	scx_bpf_dsq_move_to_local(SCX_DSQ_GLOBAL);
}

SEC("struct_ops.s/up_init")
s32 up_init(unsigned long long *ctx)
{
	u32 key = 0;
	struct timer_wrapper *w = bpf_map_lookup_elem(&monitor_timer, &key);

	if (!w)
		return -2;
	bpf_timer_init(&w->timer, &monitor_timer, 1 /* CLOCK_MONOTONIC */);
	bpf_timer_set_callback(&w->timer, monitor_timerfn);
	armed_cpu = bpf_get_smp_processor_id();
	return bpf_timer_start(&w->timer, 3000000, BPF_F_TIMER_CPU_PIN);
}

SEC(".struct_ops.link")
struct sched_ext_ops upstream_style_ops = {
	.enqueue = (void *)up_enqueue,
	.dispatch = (void *)up_dispatch,
	.init = (void *)up_init,
	.name = "upstream_style",
};
`;

const hasClang = spawnSync('clang-19', ['--version'], { stdio: 'ignore' }).status === 0;

function compile(): Uint8Array {
  mkdirSync(OUT_DIR, { recursive: true });
  const src = join(OUT_DIR, 'upstream_style.bpf.c');
  writeFileSync(src, SOURCE);
  // warnings are errors so a missing type or enumerator shows as a compile failure
  return compileGenerated(src, { extra: ['-Werror', '-Wno-unused-function'] });
}

describe.skipIf(!hasClang)('an upstream-style scheduler built against our vmlinux.h', () => {
  it('compiles, loads with every __SCX_* constant filled, and its timer sees the bits iterator, events and RQ flags', () => {
    const bytes = compile();
    const s = new Simulation({ objectBytes: bytes, file: 'upstream_style.bpf.o', workload: 'cpu-hogs', cpus: 4, seed: 1 });
    expect(s.object.warnings).toEqual([]);

    // the loader wrote the kernel's values into .rodata
    const rodata = (name: string): bigint => {
      const g = s.object.globals.find((x) => x.name === name)!;
      const init = s.object.maps[g.mapIndex]!.initialValue!;
      return new DataView(init.buffer, init.byteOffset, init.byteLength).getBigUint64(g.offset, true);
    };
    expect(rodata('__SCX_RQ_ONLINE')).toBe(1n);
    expect(rodata('__SCX_RQ_CAN_STOP_TICK')).toBe(2n);
    expect(rodata('__SCX_RQ_BAL_PENDING')).toBe(4n);
    expect(rodata('__SCX_RQ_BAL_KEEP')).toBe(8n);
    expect(rodata('__SCX_RQ_BYPASSING')).toBe(16n);
    expect(rodata('__SCX_RQ_CLK_VALID')).toBe(32n);
    expect(rodata('__SCX_RQ_IN_WAKEUP')).toBe(1n << 16n);
    expect(rodata('__SCX_RQ_IN_BALANCE')).toBe(1n << 17n);

    const events: SimEvent[] = [];
    s.on((e) => events.push(e));
    s.runFor(10 * MS);
    const sum = s.summary();
    expect(sum.exit.kind).toBe('SCX_EXIT_UNREG_BPF');
    // 4 CPUs: 0+1+2+3; the timer fired on the CPU that armed it
    expect(sum.exit.message).toBe('cpus=4 sum=6 online=1 in_balance=131072 max_loops=8388608 events_ok=1 pinned=1 partial=1');
    // tasks ran under the scheduler before the timer unregistered it
    expect(events.filter((e) => e.kind === 'op' && e.op === 'enqueue').length).toBeGreaterThan(0);
  });

  it('an object whose kernel lacks scx_rq_flags would be warned about (the check is live)', async () => {
    const { fillEnumConsts } = await import('../../sched_ext/loader/rodata_fill');
    const { Btf } = await import('../../sched_ext/btf/btf');
    const empty = Btf.empty();
    const value = new Uint8Array(8);
    const warnings = fillEnumConsts(
      [{ name: '__SCX_RQ_ONLINE', readonly: true, mapIndex: 0, offset: 0, size: 8 }] as never,
      [{ initialValue: value }] as never,
      empty,
      new Set(['__SCX_RQ_ONLINE']),
    );
    expect(warnings.join('\n')).toMatch(/__SCX_RQ_ONLINE/);
  });
});

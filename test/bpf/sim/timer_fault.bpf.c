/* SPDX-License-Identifier: MIT */
/*
 * A BPF timer armed in ops.init re-arms itself every millisecond; on its
 * third firing the callback goes wrong: it dereferences a failed map lookup
 * (the VM faults), or with use_error set it calls scx_bpf_error(). Timer
 * callbacks are not ops, but either way the scheduler must take the error
 * exit: ops.exit runs and the exit info names the callback and source line.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

const volatile bool use_error;

struct tf_timer {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct tf_timer);
} tf_timers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} tf_counts SEC(".maps");

u64 nr_fired;

static int tf_timerfn(void *map, int *key, struct bpf_timer *timer)
{
	u32 idx;
	u64 *c;

	if (__sync_add_and_fetch(&nr_fired, 1) < 3) {
		bpf_timer_start(timer, 1000000, 0);
		return 0;
	}
	if (use_error) {
		scx_bpf_error("timer gave up after %llu firings", nr_fired);
		return 0;
	}
	idx = nr_fired > 2 ? 1 : 0;
	c = bpf_map_lookup_elem(&tf_counts, &idx);
	*c += 1; /* BUG: index 1 is out of range, c is NULL */
	return 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(tf_init)
{
	u32 key = 0;
	struct tf_timer *t = bpf_map_lookup_elem(&tf_timers, &key);

	if (!t)
		return -2;
	bpf_timer_init(&t->timer, &tf_timers, 1 /* CLOCK_MONOTONIC */);
	bpf_timer_set_callback(&t->timer, tf_timerfn);
	return bpf_timer_start(&t->timer, 1000000, 0);
}

void BPF_STRUCT_OPS(tf_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(tf_exit, struct scx_exit_info *ei)
{
	bpf_printk("timer_fault exit kind %d after %llu firings", ei->kind, nr_fired);
}

SEC(".struct_ops.link")
struct sched_ext_ops timer_fault_ops = {
	.init = (void *)tf_init,
	.enqueue = (void *)tf_enqueue,
	.exit = (void *)tf_exit,
	.name = "timer_fault",
};

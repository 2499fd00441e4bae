/* SPDX-License-Identifier: MIT */
/*
 * A per-CPU tick armed from user space, the way scx_tickless starts its
 * scheduling timer: user space pins its thread to the timer CPU and test-runs
 * the SEC("syscall") program start_tick there; the program refuses any other
 * CPU (-EINVAL) and records where it ran. The tick counts its firings per CPU.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define MAX_CPUS 8
#define TICK_NS 1000000

struct tick_ctx {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_CPUS);
	__type(key, u32);
	__type(value, struct tick_ctx);
} ticks SEC(".maps");

struct cpu_arg {
	s32 cpu_id;
	s32 ran_on;
};

u64 fired[MAX_CPUS];

static int tick(void *map, u32 *key, struct tick_ctx *t)
{
	u32 cpu = bpf_get_smp_processor_id();

	if (cpu < MAX_CPUS)
		fired[cpu]++;
	bpf_timer_start(&t->timer, TICK_NS, BPF_F_TIMER_CPU_PIN);
	return 0;
}

SEC("syscall")
int start_tick(struct cpu_arg *input)
{
	u32 cpu = bpf_get_smp_processor_id();
	struct tick_ctx *t;

	input->ran_on = cpu;
	if (input->cpu_id != cpu)
		return -EINVAL;
	t = bpf_map_lookup_elem(&ticks, &cpu);
	if (!t)
		return -ENOENT;
	bpf_timer_init(&t->timer, &ticks, 1 /* CLOCK_MONOTONIC */);
	bpf_timer_set_callback(&t->timer, tick);
	return bpf_timer_start(&t->timer, TICK_NS, BPF_F_TIMER_CPU_PIN);
}

void BPF_STRUCT_OPS(pinned_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops pinned_ops = {
	.enqueue = (void *)pinned_enqueue,
	.name = "pinned",
};

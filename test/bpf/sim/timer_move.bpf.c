/* SPDX-License-Identifier: MIT */
/*
 * Moves queued tasks from a BPF timer, as scx_tickless's scheduling timer
 * does: ops.enqueue parks every task on DSQ PARK; a 1 ms timer walks PARK
 * and scx_bpf_dsq_move()s each task to SCX_DSQ_GLOBAL (a timer holds no rq
 * lock, so the kernel allows the move there). ops.dispatch never moves
 * anything itself, so tasks run only through the timer's moves.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define PARK 5
#define TICK_NS 1000000

struct tick {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct tick);
} tick_map SEC(".maps");

u64 moved, move_failed, ticks;

static int on_tick(void *map, u32 *key, struct tick *t)
{
	struct task_struct *p;

	ticks++;
	bpf_for_each(scx_dsq, p, PARK, 0) {
		if (scx_bpf_dsq_move(BPF_FOR_EACH_ITER, p, SCX_DSQ_GLOBAL, 0))
			moved++;
		else
			move_failed++;
	}
	bpf_timer_start(&t->timer, TICK_NS, 0);
	return 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(tm_init)
{
	u32 zero = 0;
	struct tick *t = bpf_map_lookup_elem(&tick_map, &zero);
	s32 ret = scx_bpf_create_dsq(PARK, -1);

	if (ret)
		return ret;
	if (!t)
		return -2;
	bpf_timer_init(&t->timer, &tick_map, 1 /* CLOCK_MONOTONIC */);
	bpf_timer_set_callback(&t->timer, on_tick);
	return bpf_timer_start(&t->timer, TICK_NS, 0);
}

void BPF_STRUCT_OPS(tm_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, PARK, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops timer_move_ops = {
	.init = (void *)tm_init,
	.enqueue = (void *)tm_enqueue,
	.name = "timer_move",
};

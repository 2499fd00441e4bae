/* SPDX-License-Identifier: MIT */
/*
 * list: round robin over per-priority FIFO lists of BPF list nodes.
 *
 * Demonstrates bpf_list_head collections inside map values:
 *   - an ARRAY map with one value per priority level; each value holds a
 *     bpf_spin_lock and a bpf_list_head of `struct queued_task` nodes (the
 *     lock must sit in the same map value as the list it protects);
 *   - ops.enqueue() allocates a node with bpf_obj_new() and appends it with
 *     bpf_list_push_back() to the task's level (from its nice value);
 *   - ops.dispatch() visits the levels round robin starting at a rotating
 *     cursor, takes the oldest node with bpf_list_pop_front(), drops it and
 *     inserts the task into the local DSQ with a slice scaled by its weight.
 *     Visiting every level in turn means no level starves, while heavier
 *     tasks get longer slices.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define NR_LEVELS 3
#define NICE_0_PRIO 120

struct queued_task {
	struct bpf_list_node node;
	s32 pid;
};

struct level_queue {
	struct bpf_spin_lock lock;
	struct bpf_list_head tasks __contains(queued_task, node);
	u64 nr_queued;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NR_LEVELS);
	__type(key, u32);
	__type(value, struct level_queue);
} levels SEC(".maps");

/* Which level ops.dispatch() looks at first; advances after every pick. */
u32 cursor;
u64 nr_alloc_failures, nr_stale_pids;

const volatile u64 slice_ns = 20000000;

/* 0 for negative nice (high priority), 1 for nice 0, 2 for positive nice. */
static __always_inline u32 task_level(struct task_struct *p)
{
	if (p->static_prio < NICE_0_PRIO)
		return 0;
	if (p->static_prio == NICE_0_PRIO)
		return 1;
	return 2;
}

s32 BPF_STRUCT_OPS(list_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;

	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
}

void BPF_STRUCT_OPS(list_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct queued_task *qt;
	struct level_queue *lq;
	u32 level = task_level(p);

	lq = bpf_map_lookup_elem(&levels, &level);
	if (!lq) {
		scx_bpf_error("no queue for level %u", level);
		return;
	}

	qt = bpf_obj_new(struct queued_task);
	if (!qt) {
		/* Never lose a task: without a node it goes to the global DSQ. */
		__sync_fetch_and_add(&nr_alloc_failures, 1);
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice_ns, enq_flags);
		return;
	}
	qt->pid = p->pid;

	bpf_spin_lock(&lq->lock);
	bpf_list_push_back(&lq->tasks, &qt->node);
	lq->nr_queued++;
	bpf_spin_unlock(&lq->lock);
}

/* Pop the oldest pid of one level, 0 if it is empty. */
static __always_inline s32 pop_pid(u32 level)
{
	struct bpf_list_node *node;
	struct level_queue *lq;
	struct queued_task *qt;
	s32 pid;

	lq = bpf_map_lookup_elem(&levels, &level);
	if (!lq)
		return 0;

	bpf_spin_lock(&lq->lock);
	node = bpf_list_pop_front(&lq->tasks);
	if (node)
		lq->nr_queued--;
	bpf_spin_unlock(&lq->lock);
	if (!node)
		return 0;

	qt = container_of(node, struct queued_task, node);
	pid = qt->pid;
	bpf_obj_drop(qt);
	return pid;
}

void BPF_STRUCT_OPS(list_dispatch, s32 cpu, struct task_struct *prev)
{
	struct task_struct *p;
	u32 start = cursor;
	u64 slice;
	s32 pid;
	int i;

	bpf_for(i, 0, NR_LEVELS) {
		u32 level = (start + i) % NR_LEVELS;

		pid = pop_pid(level);
		if (!pid)
			continue;
		cursor = level + 1;

		p = bpf_task_from_pid(pid);
		if (!p) {
			/* The task exited while queued. */
			__sync_fetch_and_add(&nr_stale_pids, 1);
			continue;
		}
		/*
		 * weight 100 is nice 0: a nice -5 task (weight ~335) gets a ~3x
		 * slice. Clamped so extreme nice values neither hog nor thrash.
		 */
		slice = slice_ns * p->scx.weight / 100;
		if (slice > slice_ns * 4)
			slice = slice_ns * 4;
		if (slice < slice_ns / 10)
			slice = slice_ns / 10;
		if (bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice, 0);
		else
			scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice, 0);
		bpf_task_release(p);
		return;
	}
}

void BPF_STRUCT_OPS(list_exit, struct scx_exit_info *ei)
{
	bpf_printk("list exits: kind %d", ei->kind);
}

SEC(".struct_ops.link")
struct sched_ext_ops list_ops = {
	.select_cpu = (void *)list_select_cpu,
	.enqueue = (void *)list_enqueue,
	.dispatch = (void *)list_dispatch,
	.exit = (void *)list_exit,
	.name = "list",
};

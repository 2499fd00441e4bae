/* SPDX-License-Identifier: MIT */
/*
 * qmap: tasks kept as pids in BPF queue maps, dispatched in batches.
 *
 * Demonstrates what the kernel's dispatch bookkeeping is for:
 *   - ops.enqueue() pushes the task's pid onto one of three FIFO queue maps
 *     (BPF_MAP_TYPE_QUEUE, bpf_map_push_elem) chosen by its weight; the task
 *     stays owned by the BPF scheduler with no DSQ holding it;
 *   - ops.dispatch() pops pids (bpf_map_pop_elem), looks each task up with
 *     bpf_task_from_pid() and inserts it into SCX_DSQ_GLOBAL, up to
 *     scx_bpf_dispatch_nr_slots() tasks per call. Higher queues are drained
 *     more often (5:3:1) but none starves: a call gives up only once every
 *     queue was found empty, so a task in any queue is always dispatched;
 *   - a pid popped after its task was dequeued (e.g. it changed affinity and
 *     was enqueued again, so the pid sits in a queue twice) is dispatched
 *     anyway: the kernel ignores the stale dispatch by its queue sequence
 *     number (SCX_OPSS_QUEUED + qseq), which is why this is safe;
 *   - ops.dequeue() and ops.tick() only count; ops.dump() and ops.dump_task()
 *     write to the debug dump with scx_bpf_dump() when the scheduler errors out;
 *   - scalar members: dispatch_max_batch and timeout_ms.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define NR_QUEUES 3
#define ALL_QUEUES ((1u << NR_QUEUES) - 1)
#define QUEUE_DEPTH 4096

struct pid_queue {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, QUEUE_DEPTH);
	__type(value, s32);
};

struct pid_queue queue0 SEC(".maps"), queue1 SEC(".maps"), queue2 SEC(".maps");

u32 round_pos;
u64 nr_enqueued, nr_dispatched, nr_dequeued, nr_ticks, nr_overflow, nr_stale_pids;

const volatile u64 slice_ns = 5000000;

static __always_inline void *queue_map(u32 q)
{
	switch (q) {
	case 0:
		return &queue0;
	case 1:
		return &queue1;
	default:
		return &queue2;
	}
}

/* Queue 0 for weight above nice 0, 1 for nice 0, 2 below. */
static __always_inline u32 queue_of(struct task_struct *p)
{
	if (p->scx.weight > 100)
		return 0;
	if (p->scx.weight == 100)
		return 1;
	return 2;
}

/* The queue the round robin serves at position `pos` of a 9-slot round (5 + 3 + 1). */
static __always_inline u32 queue_at(u32 pos)
{
	pos %= 9;
	if (pos < 5)
		return 0;
	if (pos < 8)
		return 1;
	return 2;
}

s32 BPF_STRUCT_OPS(qmap_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;

	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
}

void BPF_STRUCT_OPS(qmap_enqueue, struct task_struct *p, u64 enq_flags)
{
	s32 pid = p->pid;

	if (bpf_map_push_elem(queue_map(queue_of(p)), &pid, 0)) {
		/* Queue full: fall back to the global DSQ rather than lose the task. */
		__sync_fetch_and_add(&nr_overflow, 1);
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice_ns, enq_flags);
		return;
	}
	__sync_fetch_and_add(&nr_enqueued, 1);
}

void BPF_STRUCT_OPS(qmap_dequeue, struct task_struct *p, u64 deq_flags)
{
	__sync_fetch_and_add(&nr_dequeued, 1);
}

void BPF_STRUCT_OPS(qmap_dispatch, s32 cpu, struct task_struct *prev)
{
	struct task_struct *p;
	/*
	 * Bit q: queue q was found empty. Nothing is enqueued while this runs,
	 * so an empty queue stays empty: its slots of the round are skipped,
	 * and the call gives up only when all queues are empty. (Counting empty
	 * pops in a row instead would give up inside the round's five queue-0
	 * slots while queue 1 or 2 still held tasks.) A round is 9 slots, so
	 * the 32 iterations always reach every queue.
	 */
	u32 empty = 0;
	s32 pid;
	u32 q;
	int i;

	bpf_for(i, 0, 32) {
		if (!scx_bpf_dispatch_nr_slots() || empty == ALL_QUEUES)
			return;
		q = queue_at(round_pos++);
		if (empty & (1u << q))
			continue;
		if (bpf_map_pop_elem(queue_map(q), &pid)) {
			empty |= 1u << q;
			continue;
		}

		p = bpf_task_from_pid(pid);
		if (!p) {
			__sync_fetch_and_add(&nr_stale_pids, 1);
			continue;
		}
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice_ns, 0);
		bpf_task_release(p);
		__sync_fetch_and_add(&nr_dispatched, 1);
	}
}

void BPF_STRUCT_OPS(qmap_tick, struct task_struct *p)
{
	__sync_fetch_and_add(&nr_ticks, 1);
}

void BPF_STRUCT_OPS(qmap_dump, struct scx_dump_ctx *dctx)
{
	scx_bpf_dump("qmap: enqueued %llu dispatched %llu dequeued %llu overflow %llu stale %llu",
		     nr_enqueued, nr_dispatched, nr_dequeued, nr_overflow, nr_stale_pids);
}

void BPF_STRUCT_OPS(qmap_dump_task, struct scx_dump_ctx *dctx, struct task_struct *p)
{
	scx_bpf_dump("qmap: pid %d queue %u weight %u", p->pid, queue_of(p), p->scx.weight);
}

void BPF_STRUCT_OPS(qmap_exit, struct scx_exit_info *ei)
{
	bpf_printk("qmap exits: kind %d", ei->kind);
}

SEC(".struct_ops.link")
struct sched_ext_ops qmap_ops = {
	.select_cpu = (void *)qmap_select_cpu,
	.enqueue = (void *)qmap_enqueue,
	.dequeue = (void *)qmap_dequeue,
	.dispatch = (void *)qmap_dispatch,
	.tick = (void *)qmap_tick,
	.dump = (void *)qmap_dump,
	.dump_task = (void *)qmap_dump_task,
	.exit = (void *)qmap_exit,
	.dispatch_max_batch = 8,
	.timeout_ms = 5000,
	.name = "qmap",
};

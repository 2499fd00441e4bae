/* SPDX-License-Identifier: MIT */
/*
 * A shared-queue scheduler whose per-DSQ statistics sit behind a
 * bpf_res_spin_lock (v6.15), the lock production schedulers take around
 * shared state: ops.enqueue counts insertions under the lock,
 * ops.dispatch counts dispatches under the irqsave form. ops.init checks
 * the kernel's answers: 0 once taken, -EDEADLK (-35) when the same program
 * takes the lock it already holds.
 * `misuse` (set before load) makes ops.running misuse the lock the ways the
 * verifier refuses: 1 returns still holding it, 2 unlocks a lock it does not
 * hold, 3 unlocks two locks in the order it took them.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define SHARED_DSQ 3

struct stats {
	struct bpf_res_spin_lock lock;
	u64 enqueued;
	u64 dispatched;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, u32);
	__type(value, struct stats);
} stats_map SEC(".maps");

const volatile u32 misuse;

s32 first_ret = -1, again_ret = -1, irq_ret = -1;
u64 lock_failures, misused;

static struct stats *stats_at(u32 i)
{
	return bpf_map_lookup_elem(&stats_map, &i);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(rsl_init)
{
	struct stats *st = stats_at(0);

	if (!st)
		return -2;
	first_ret = bpf_res_spin_lock(&st->lock);
	if (first_ret == 0) {
		again_ret = bpf_res_spin_lock(&st->lock);
		bpf_res_spin_unlock(&st->lock);
	}
	return scx_bpf_create_dsq(SHARED_DSQ, -1);
}

void BPF_STRUCT_OPS(rsl_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct stats *st = stats_at(0);

	scx_bpf_dsq_insert(p, SHARED_DSQ, SCX_SLICE_DFL, enq_flags);
	if (!st)
		return;
	if (bpf_res_spin_lock(&st->lock)) {
		lock_failures++;
		return;
	}
	st->enqueued++;
	bpf_res_spin_unlock(&st->lock);
}

void BPF_STRUCT_OPS(rsl_dispatch, s32 cpu, struct task_struct *prev)
{
	struct stats *st = stats_at(0);
	unsigned long flags;

	if (!scx_bpf_dsq_move_to_local(SHARED_DSQ) || !st)
		return;
	irq_ret = bpf_res_spin_lock_irqsave(&st->lock, &flags);
	if (irq_ret) {
		lock_failures++;
		return;
	}
	st->dispatched++;
	bpf_res_spin_unlock_irqrestore(&st->lock, &flags);
}

void BPF_STRUCT_OPS(rsl_running, struct task_struct *p)
{
	struct stats *a = stats_at(0), *b = stats_at(1);

	if (!misuse || misused || !a || !b)
		return;
	misused++;
	if (misuse == 1) {
		if (bpf_res_spin_lock(&b->lock) == 0)
			b->enqueued++; /* returns holding b->lock */
	} else if (misuse == 2) {
		bpf_res_spin_unlock(&b->lock);
	} else if (misuse == 3) {
		if (bpf_res_spin_lock(&a->lock))
			return;
		if (bpf_res_spin_lock(&b->lock)) {
			bpf_res_spin_unlock(&a->lock);
			return;
		}
		bpf_res_spin_unlock(&a->lock);
		bpf_res_spin_unlock(&b->lock);
	}
}

SEC(".struct_ops.link")
struct sched_ext_ops rsl_ops = {
	.init = (void *)rsl_init,
	.enqueue = (void *)rsl_enqueue,
	.dispatch = (void *)rsl_dispatch,
	.running = (void *)rsl_running,
	.name = "res_spin_lock",
};

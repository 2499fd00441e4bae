/* SPDX-License-Identifier: MIT */
/*
 * bad_dsq (deliberately broken): inserts into a DSQ it never created.
 *
 * Demonstrates an error exit. ops.init() creates user DSQ 0 but
 * ops.enqueue() inserts heavy tasks into DSQ 1. The kernel finds no DSQ with
 * that id and aborts the scheduler (scx_error "non-existent DSQ"), reported
 * as SCX_EXIT_ERROR with the enqueue's source line.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define MY_DSQ 0
#define TYPO_DSQ 1

void BPF_STRUCT_OPS(bad_dsq_enqueue, struct task_struct *p, u64 enq_flags)
{
	/* BUG: TYPO_DSQ was never created. */
	u64 dsq = p->scx.weight > 100 ? TYPO_DSQ : MY_DSQ;

	scx_bpf_dsq_insert(p, dsq, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(bad_dsq_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_bpf_dsq_move_to_local(MY_DSQ);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(bad_dsq_init)
{
	return scx_bpf_create_dsq(MY_DSQ, -1);
}

SEC(".struct_ops.link")
struct sched_ext_ops bad_dsq_ops = {
	.enqueue = (void *)bad_dsq_enqueue,
	.dispatch = (void *)bad_dsq_dispatch,
	.init = (void *)bad_dsq_init,
	.name = "bad_dsq",
};

/* SPDX-License-Identifier: MIT */
/*
 * lost_task (deliberately broken): a global FIFO that forgets some tasks.
 *
 * Demonstrates the sched_ext watchdog. ops.enqueue() is supposed to insert
 * every task it is handed into a DSQ (or keep it and dispatch it later); this
 * one silently drops every 64th enqueue. The dropped task stays runnable but
 * nobody will ever run it, so after timeout_ms the kernel's watchdog
 * (scx_watchdog_workfn / check_rq_for_timeouts) ejects the scheduler with
 * SCX_EXIT_ERROR_STALL, ops.exit() runs, and the tasks fall back to the fair
 * class. Loads and verifies fine: the bug is in the policy, not the code.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

u64 nr_enqueued, nr_lost;

void BPF_STRUCT_OPS(lost_task_enqueue, struct task_struct *p, u64 enq_flags)
{
	if (++nr_enqueued % 64 == 0) {
		nr_lost++;
		return; /* BUG: the task is neither inserted nor remembered */
	}
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops lost_task_ops = {
	.enqueue = (void *)lost_task_enqueue,
	.timeout_ms = 3000,
	.name = "lost_task",
};

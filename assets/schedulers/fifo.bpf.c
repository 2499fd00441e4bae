/* SPDX-License-Identifier: MIT */
/*
 * fifo: one global first-in first-out queue.
 *
 * Demonstrates the smallest useful sched_ext scheduler:
 *   - ops.select_cpu() asks the kernel's default idle-CPU picker
 *     (scx_bpf_select_cpu_dfl) and, when it found an idle CPU, inserts the
 *     waking task straight into that CPU's local DSQ (SCX_DSQ_LOCAL). The
 *     kernel then skips ops.enqueue() for the task.
 *   - ops.enqueue() puts every other task at the tail of SCX_DSQ_GLOBAL, which
 *     every CPU consumes from when its local DSQ is empty. No ops.dispatch()
 *     is needed.
 *   - counters in .bss (visible in scxray's variable view) and the __SCX_*
 *     constants the loader fills from the kernel's enums.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

/* How many tasks went straight to a local DSQ, and how many through the global one. */
u64 nr_direct, nr_global;

s32 BPF_STRUCT_OPS(fifo_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu;

	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle) {
		__sync_fetch_and_add(&nr_direct, 1);
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
	}
	return cpu;
}

void BPF_STRUCT_OPS(fifo_enqueue, struct task_struct *p, u64 enq_flags)
{
	__sync_fetch_and_add(&nr_global, 1);
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(fifo_exit, struct scx_exit_info *ei)
{
	bpf_printk("fifo exits: kind %d", ei->kind);
}

SEC(".struct_ops.link")
struct sched_ext_ops fifo_ops = {
	.select_cpu = (void *)fifo_select_cpu,
	.enqueue = (void *)fifo_enqueue,
	.exit = (void *)fifo_exit,
	.name = "fifo",
};

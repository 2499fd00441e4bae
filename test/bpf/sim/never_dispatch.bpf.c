/* SPDX-License-Identifier: MIT */
/*
 * Queues every task on a user DSQ and never consumes it (no ops.dispatch):
 * the watchdog must eject it after timeout_ms, and ops.exit must see
 * SCX_EXIT_ERROR_STALL.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define HELD_DSQ 7

s32 BPF_STRUCT_OPS_SLEEPABLE(nd_init)
{
	return scx_bpf_create_dsq(HELD_DSQ, -1);
}

s32 BPF_STRUCT_OPS(nd_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	return prev_cpu;
}

void BPF_STRUCT_OPS(nd_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, HELD_DSQ, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(nd_exit, struct scx_exit_info *ei)
{
	bpf_printk("never_dispatch exit kind %d", ei->kind);
}

SEC(".struct_ops.link")
struct sched_ext_ops nd_ops = {
	.init = (void *)nd_init,
	.select_cpu = (void *)nd_select_cpu,
	.enqueue = (void *)nd_enqueue,
	.exit = (void *)nd_exit,
	.timeout_ms = 500,
	.name = "never_dispatch",
};

/* SPDX-License-Identifier: MIT */
/*
 * struct_ops members a scheduler's main() sets before load, as scx_lavd does
 * (skel->struct_ops.ops->flags = SCX_OPS_KEEP_BUILTIN_IDLE | ..., an op set
 * to NULL on kernels without it). This one implements ops.update_idle, which
 * turns the kernel's built-in idle tracking off unless the flags keep it, and
 * ops.select_cpu asks for the idle cpumask: without the flag (or without
 * update_idle) the kernel refuses that call and ejects the scheduler.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

u64 nr_update_idle;
u64 nr_idle_masks;

s32 BPF_STRUCT_OPS(of_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	const struct cpumask *idle = scx_bpf_get_idle_cpumask();

	if (bpf_cpumask_test_cpu(prev_cpu, idle))
		nr_idle_masks++;
	scx_bpf_put_idle_cpumask(idle);
	return prev_cpu;
}

void BPF_STRUCT_OPS(of_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(of_update_idle, s32 cpu, bool idle)
{
	nr_update_idle++;
}

SEC(".struct_ops.link")
struct sched_ext_ops ops_flags_ops = {
	.select_cpu		= (void *)of_select_cpu,
	.enqueue		= (void *)of_enqueue,
	.update_idle		= (void *)of_update_idle,
	.name			= "ops_flags",
};

/* SPDX-License-Identifier: MIT */
/*
 * select_cpu always inserts into SCX_DSQ_LOCAL, so the kernel must never
 * call ops.enqueue for a waking task; enqueue still sees tasks whose slice
 * ran out. Counters are printed at exit.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

u64 nr_select, nr_enqueue_wakeup, nr_enqueue_other;

s32 BPF_STRUCT_OPS(ld_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	__sync_fetch_and_add(&nr_select, 1);
	scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
	return prev_cpu;
}

void BPF_STRUCT_OPS(ld_enqueue, struct task_struct *p, u64 enq_flags)
{
	if (enq_flags & SCX_ENQ_WAKEUP)
		__sync_fetch_and_add(&nr_enqueue_wakeup, 1);
	else
		__sync_fetch_and_add(&nr_enqueue_other, 1);
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(ld_exit, struct scx_exit_info *ei)
{
	bpf_printk("select %llu wakeup-enqueue %llu other-enqueue %llu", nr_select, nr_enqueue_wakeup, nr_enqueue_other);
}

SEC(".struct_ops.link")
struct sched_ext_ops ld_ops = {
	.select_cpu = (void *)ld_select_cpu,
	.enqueue = (void *)ld_enqueue,
	.exit = (void *)ld_exit,
	.name = "local_direct",
};

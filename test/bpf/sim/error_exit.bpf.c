/* SPDX-License-Identifier: MIT */
/*
 * Calls scx_bpf_error() on the 50th enqueue: the kernel dumps (ops.dump,
 * dump_cpu, dump_task), disables every task and delivers the exit info to
 * ops.exit. Also misuses scx_bpf_dsq_move_to_local() from ops.enqueue when
 * bad_context is set (only ops.dispatch may call it).
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

const volatile bool bad_context;
u64 nr_enqueued, nr_dump_task, nr_disable;

void BPF_STRUCT_OPS(ee_enqueue, struct task_struct *p, u64 enq_flags)
{
	if (bad_context)
		scx_bpf_dsq_move_to_local(SCX_DSQ_GLOBAL);
	if (__sync_add_and_fetch(&nr_enqueued, 1) == 50)
		scx_bpf_error("enqueue budget of %d used up by pid %d", 50, p->pid);
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(ee_dump, struct scx_dump_ctx *dctx)
{
	scx_bpf_dump("error_exit dump: %llu enqueued\n", nr_enqueued);
}

void BPF_STRUCT_OPS(ee_dump_task, struct scx_dump_ctx *dctx, struct task_struct *p)
{
	__sync_fetch_and_add(&nr_dump_task, 1);
}

void BPF_STRUCT_OPS(ee_disable, struct task_struct *p)
{
	__sync_fetch_and_add(&nr_disable, 1);
}

void BPF_STRUCT_OPS(ee_exit, struct scx_exit_info *ei)
{
	bpf_printk("exit kind %d dump_task %llu disable %llu", ei->kind, nr_dump_task, nr_disable);
}

SEC(".struct_ops.link")
struct sched_ext_ops ee_ops = {
	.enqueue = (void *)ee_enqueue,
	.dump = (void *)ee_dump,
	.dump_task = (void *)ee_dump_task,
	.disable = (void *)ee_disable,
	.exit = (void *)ee_exit,
	.name = "error_exit",
};

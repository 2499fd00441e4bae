/* SPDX-License-Identifier: MIT */
/*
 * Reading a task's family in ops.init_task, as scx_lavd does to inherit its
 * parent's context: p->real_parent->pid, then bpf_task_from_pid() on it. The
 * kernel never has a NULL real_parent (init and kthreadd are children of the
 * idle task, pid 0, which bpf_task_from_pid() does not find). group_leader
 * of a single-threaded task is the task itself.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

u64 nr_init;		/* init_task calls */
u64 nr_parent_pid0;	/* tasks whose real_parent and parent are pid 0 */
u64 nr_leader_self;	/* tasks that lead their own thread group */
u64 nr_parent_found;	/* bpf_task_from_pid(parent's pid) that found a task */

s32 BPF_STRUCT_OPS(tp_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	struct task_struct *parent;

	nr_init++;
	if (p->real_parent->pid == 0 && p->parent->pid == 0)
		nr_parent_pid0++;
	if (p->group_leader->pid == p->pid)
		nr_leader_self++;
	parent = bpf_task_from_pid(p->real_parent->pid);
	if (parent) {
		nr_parent_found++;
		bpf_task_release(parent);
	}
	return 0;
}

void BPF_STRUCT_OPS(tp_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops task_parent_ops = {
	.init_task		= (void *)tp_init_task,
	.enqueue		= (void *)tp_enqueue,
	.name			= "task_parent",
};

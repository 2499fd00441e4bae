/* SPDX-License-Identifier: MIT */
/*
 * A tp_btf tracker beside a global-FIFO scheduler, like the cgroup and
 * switch trackers of production schedulers: it counts sched_switch (and the
 * switches to and from each CPU's idle task, pid 0), sched_wakeup,
 * sched_wakeup_new and sched_process_exit, keeps per-cgroup attach counts
 * from cgroup_attach_task in a hash keyed by cgroup id, and checks each
 * switch's next task is what ops.running just saw on that CPU. Its
 * cgroup_mkdir and fentry programs load but are not attached (listed with
 * the reason).
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

u64 switches, to_idle, from_idle, next_matches, preempted, wakeups, wakeups_new, exits, attaches, mkdirs, fentries;
u64 last_running[64];

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u64);
	__type(value, u64);
} cgroup_attaches SEC(".maps");

void BPF_STRUCT_OPS(tt_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, 2000000, enq_flags);
}

void BPF_STRUCT_OPS(tt_running, struct task_struct *p)
{
	u32 cpu = bpf_get_smp_processor_id();

	if (cpu < 64)
		last_running[cpu] = p->pid;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(tt_switch, bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state)
{
	u32 cpu = bpf_get_smp_processor_id();

	switches++;
	if (preempt)
		preempted++;
	if (next->pid == 0)
		to_idle++;
	if (prev->pid == 0)
		from_idle++;
	if (next->pid != 0 && cpu < 64 && last_running[cpu] == next->pid)
		next_matches++;
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(tt_wakeup, struct task_struct *p)
{
	wakeups++;
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(tt_wakeup_new, struct task_struct *p)
{
	wakeups_new++;
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(tt_exit, struct task_struct *p)
{
	exits++;
	return 0;
}

SEC("tp_btf/cgroup_attach_task")
int BPF_PROG(tt_attach, struct cgroup *dst, const char *path, struct task_struct *task, bool threadgroup)
{
	u64 id = dst->kn->id;
	u64 one = 1, *n;

	attaches++;
	n = bpf_map_lookup_elem(&cgroup_attaches, &id);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&cgroup_attaches, &id, &one, BPF_NOEXIST);
	return 0;
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(tt_mkdir, struct cgroup *cgrp, const char *path)
{
	mkdirs++;
	return 0;
}

SEC("fentry/cpuset_write_resmask")
int BPF_PROG(tt_fentry)
{
	fentries++;
	return 0;
}

void BPF_STRUCT_OPS(tt_exit_ops, struct scx_exit_info *ei)
{
	bpf_printk("tp_tracker switches %llu to_idle %llu from_idle %llu", switches, to_idle, from_idle);
	bpf_printk("tp_tracker next_matches %llu preempted %llu wakeups %llu", next_matches, preempted, wakeups);
	bpf_printk("tp_tracker wakeups_new %llu exits %llu attaches %llu", wakeups_new, exits, attaches);
	bpf_printk("tp_tracker mkdirs %llu fentries %llu", mkdirs, fentries);
}

SEC(".struct_ops.link")
struct sched_ext_ops tp_tracker_ops = {
	.enqueue = (void *)tt_enqueue,
	.running = (void *)tt_running,
	.exit = (void *)tt_exit_ops,
	.name = "tp_tracker",
};

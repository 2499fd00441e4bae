/* SPDX-License-Identifier: MIT */
/*
 * Setup-module fixture: a userspace scheduler in the manner of scx_userland.
 * ops.enqueue hands every task except the user scheduler itself to user
 * space through the `enqueued` queue; the user scheduler (a setup module's
 * userTask, whose pid the setup writes into usersched_pid) pops them and
 * pushes the pids it chose into `dispatched`; ops.dispatch moves those to a
 * CPU. The user scheduler waits in its own DSQ and runs first whenever
 * tasks are waiting for it.
 */
#include <scx/common.bpf.h>
#include <scx/compat.bpf.h>

char _license[] SEC("license") = "GPL";

#define USERSCHED_DSQ 1

const volatile s32 usersched_pid;

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4096);
	__type(value, s32);
} enqueued SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4096);
	__type(value, s32);
} dispatched SEC(".maps");

bool usersched_needed;
u64 nr_user_enqueues, nr_user_dispatches, nr_usersched_runs, nr_lost;

s32 BPF_STRUCT_OPS(userland_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	return prev_cpu;
}

void BPF_STRUCT_OPS(userland_enqueue, struct task_struct *p, u64 enq_flags)
{
	s32 pid = p->pid;

	if (pid == usersched_pid) {
		scx_bpf_dsq_insert(p, USERSCHED_DSQ, SCX_SLICE_DFL, enq_flags);
		return;
	}
	if (bpf_map_push_elem(&enqueued, &pid, 0)) {
		__sync_fetch_and_add(&nr_lost, 1);
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
		return;
	}
	__sync_fetch_and_add(&nr_user_enqueues, 1);
	usersched_needed = true;
	scx_bpf_kick_cpu(scx_bpf_task_cpu(p), SCX_KICK_IDLE);
}

void BPF_STRUCT_OPS(userland_dispatch, s32 cpu, struct task_struct *prev)
{
	int i;

	bpf_for(i, 0, 64) {
		struct task_struct *p;
		s32 pid, target;

		if (bpf_map_pop_elem(&dispatched, &pid))
			break;
		p = bpf_task_from_pid(pid);
		if (!p)
			continue;
		target = scx_bpf_task_cpu(p);
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL_ON | target, SCX_SLICE_DFL, 0);
		if (target != cpu)
			scx_bpf_kick_cpu(target, SCX_KICK_IDLE);
		__sync_fetch_and_add(&nr_user_dispatches, 1);
		bpf_task_release(p);
	}
	if (usersched_needed && scx_bpf_dsq_move_to_local(USERSCHED_DSQ)) {
		usersched_needed = false;
		__sync_fetch_and_add(&nr_usersched_runs, 1);
	}
}

s32 BPF_STRUCT_OPS_SLEEPABLE(userland_init)
{
	if (usersched_pid <= 0) {
		scx_bpf_error("usersched_pid is not set: the setup module must start its userTask before load");
		return -EINVAL;
	}
	return scx_bpf_create_dsq(USERSCHED_DSQ, -1);
}

SEC(".struct_ops.link")
struct sched_ext_ops userland_ops = {
	.select_cpu = (void *)userland_select_cpu,
	.enqueue = (void *)userland_enqueue,
	.dispatch = (void *)userland_dispatch,
	.init = (void *)userland_init,
	.name = "userland",
};

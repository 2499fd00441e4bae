/* SPDX-License-Identifier: MIT */
/*
 * vtime: weighted fair sharing by virtual time on one user DSQ.
 *
 * Demonstrates:
 *   - a user DSQ created in the sleepable ops.init() (scx_bpf_create_dsq)
 *     and ordered by p->scx.dsq_vtime (scx_bpf_dsq_insert_vtime);
 *   - ops.dispatch() moving the lowest-vtime task to the CPU's local DSQ
 *     (scx_bpf_dsq_move_to_local);
 *   - ops.running() advancing the global vtime_now to the running task's
 *     vtime, ops.stopping() charging the task for the slice it used scaled by
 *     100 / weight (weight 100 is nice 0), so heavier tasks age slower and
 *     get proportionally more CPU;
 *   - ops.enqueue() clamping a task that slept for long to at most one slice
 *     behind vtime_now, so sleeping does not bank unlimited credit;
 *   - ops.enable() starting a new task at vtime_now.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

/* The user DSQ every task waits on. User DSQ ids are below 2^63. */
#define SHARED_DSQ 0

/* The vtime of the most recently started task: the "now" of virtual time. */
u64 vtime_now;

/* A knob userspace (or `scxray run --set slice_ns=...`) may change before load. */
const volatile u64 slice_ns = 20000000;

s32 BPF_STRUCT_OPS(vtime_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu;

	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle)
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_ns, 0);
	return cpu;
}

void BPF_STRUCT_OPS(vtime_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 vtime = p->scx.dsq_vtime;

	/* A task that idled keeps at most one slice worth of credit. */
	if (time_before(vtime, vtime_now - slice_ns))
		vtime = vtime_now - slice_ns;

	scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, slice_ns, vtime, enq_flags);
}

void BPF_STRUCT_OPS(vtime_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_bpf_dsq_move_to_local(SHARED_DSQ);
}

void BPF_STRUCT_OPS(vtime_running, struct task_struct *p)
{
	if (time_before(vtime_now, p->scx.dsq_vtime))
		vtime_now = p->scx.dsq_vtime;
}

void BPF_STRUCT_OPS(vtime_stopping, struct task_struct *p, bool runnable)
{
	/*
	 * The slice counts down from slice_ns; the kernel may refill it with
	 * SCX_SLICE_DFL when it keeps a task running, so never go below zero.
	 */
	u64 used = p->scx.slice < slice_ns ? slice_ns - p->scx.slice : 0;

	p->scx.dsq_vtime += used * 100 / p->scx.weight;
}

void BPF_STRUCT_OPS(vtime_enable, struct task_struct *p)
{
	p->scx.dsq_vtime = vtime_now;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(vtime_init)
{
	return scx_bpf_create_dsq(SHARED_DSQ, -1);
}

void BPF_STRUCT_OPS(vtime_exit, struct scx_exit_info *ei)
{
	bpf_printk("vtime exits: kind %d", ei->kind);
}

SEC(".struct_ops.link")
struct sched_ext_ops vtime_ops = {
	.select_cpu = (void *)vtime_select_cpu,
	.enqueue = (void *)vtime_enqueue,
	.dispatch = (void *)vtime_dispatch,
	.running = (void *)vtime_running,
	.stopping = (void *)vtime_stopping,
	.enable = (void *)vtime_enable,
	.init = (void *)vtime_init,
	.exit = (void *)vtime_exit,
	.name = "vtime",
};

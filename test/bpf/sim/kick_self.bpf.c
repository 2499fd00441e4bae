/* SPDX-License-Identifier: MIT */
/*
 * Tells its own CPU about new work: ops.enqueue() kicks the CPU it runs on
 * with SCX_KICK_PREEMPT unless the enqueued task is the one running there
 * (scx_bpf_task_running). When a CPU puts its running task back (slice
 * used up), the kernel calls ops.enqueue() before rq->curr changes, so the
 * task still counts as running and the CPU is not kicked again; a simulator
 * that switched curr first would preempt every task it just picked, at the
 * same instant, forever.
 *
 * With kick_in_running set, ops.running() kicks its own CPU with
 * SCX_KICK_PREEMPT too: every task it picks is preempted at once, a real
 * livelock that the simulator must turn into an error exit.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

const volatile bool kick_in_running;

/*
 * enqueues that saw their task still running (put back by its CPU), those
 * where it was also bpf_get_current_task_btf(), and kicks sent
 */
u64 nr_enq_running, nr_enq_current, nr_kicks;

void BPF_STRUCT_OPS(ks_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, 5000000, enq_flags);
	if (scx_bpf_task_running(p)) {
		__sync_fetch_and_add(&nr_enq_running, 1);
		if (bpf_get_current_task_btf() == p)
			__sync_fetch_and_add(&nr_enq_current, 1);
		return;
	}
	__sync_fetch_and_add(&nr_kicks, 1);
	scx_bpf_kick_cpu(bpf_get_smp_processor_id(), SCX_KICK_PREEMPT);
}

void BPF_STRUCT_OPS(ks_running, struct task_struct *p)
{
	if (kick_in_running)
		scx_bpf_kick_cpu(bpf_get_smp_processor_id(), SCX_KICK_PREEMPT);
}

void BPF_STRUCT_OPS(ks_exit, struct scx_exit_info *ei)
{
	bpf_printk("kick_self counts enq_running %llu current %llu kicks %llu", nr_enq_running, nr_enq_current, nr_kicks);
	bpf_printk("kick_self exit kind %d", ei->kind);
}

SEC(".struct_ops.link")
struct sched_ext_ops kick_self_ops = {
	.enqueue = (void *)ks_enqueue,
	.running = (void *)ks_running,
	.exit = (void *)ks_exit,
	.name = "kick_self",
};

/* SPDX-License-Identifier: MIT */
/*
 * Reads the runqueues the way production schedulers do: ops.tick checks
 * that scx_bpf_cpu_rq(cpu)->curr and scx_bpf_cpu_curr(cpu) are the ticking
 * task, and looks at every other CPU's curr (an idle CPU's is its idle
 * task, pid 0, "swapper/N"); ops.dispatch on a CPU that was idle (prev is
 * NULL) checks that bpf_get_current_task_btf() is that idle task and that
 * scx_bpf_locked_rq() is this CPU's rq. scx_bpf_cpu_curr is weak (v6.18):
 * on older kernels the rq path alone is used, as scx's compat header does.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

struct rq *scx_bpf_cpu_rq(s32 cpu) __ksym __weak;
struct task_struct *scx_bpf_cpu_curr(s32 cpu) __ksym __weak;
struct rq *scx_bpf_locked_rq(void) __ksym __weak;
/* typed per-CPU kernel symbols, as scx's common.bpf.h reads runqueues */
extern struct rq runqueues __ksym;
extern int __preempt_count __ksym;
struct cpufreq_policy;
extern struct cpufreq_policy *cpufreq_cpu_data __ksym;
static void *(*const bpf_per_cpu_ptr)(const void *percpu_ptr, __u32 cpu) = (void *)153;
static void *(*const bpf_this_cpu_ptr)(const void *percpu_ptr) = (void *)154;

u64 ticks, rq_curr_ok, cpu_curr_ok, has_cpu_curr, remote_idle, remote_busy, bad_idle_name;
u64 idle_dispatch, idle_current_ok, locked_rq_ok, clock_ok;
u64 percpu_rq_ok, preempt_zero, percpu_oob_null;

static bool is_idle_task(struct task_struct *t, s32 cpu)
{
	char want[] = "swapper/0";

	if (!t || t->pid != 0)
		return false;
	want[8] = '0' + cpu;
	for (int i = 0; i < sizeof(want); i++)
		if (t->comm[i] != want[i]) {
			bad_idle_name++;
			return false;
		}
	return true;
}

/* no direct dispatch on wakeup: every task goes through the global DSQ */
s32 BPF_STRUCT_OPS(rq_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	return prev_cpu;
}

/* an idle CPU is kicked to take the task, and dispatches with prev == NULL */
void BPF_STRUCT_OPS(rq_enqueue, struct task_struct *p, u64 enq_flags)
{
	s32 idle;

	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, 3000000, enq_flags);
	idle = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (idle >= 0)
		scx_bpf_kick_cpu(idle, SCX_KICK_IDLE);
}

void BPF_STRUCT_OPS(rq_tick, struct task_struct *p)
{
	s32 cpu = scx_bpf_task_cpu(p);
	struct rq *rq = scx_bpf_cpu_rq(cpu);
	u32 n = scx_bpf_nr_cpu_ids();

	ticks++;
	if (rq && rq->curr == p && rq->cpu == cpu)
		rq_curr_ok++;
	if (rq && rq->clock == scx_bpf_now() && rq->clock_task == rq->clock)
		clock_ok++;
	{
		struct rq *prq = bpf_per_cpu_ptr(&runqueues, cpu);
		int *pc = bpf_this_cpu_ptr(&__preempt_count);

		if (prq && prq == rq && prq->curr == p)
			percpu_rq_ok++;
		struct cpufreq_policy **pol = bpf_per_cpu_ptr(&cpufreq_cpu_data, cpu);

		/* no cpufreq driver: every CPU's policy pointer is NULL */
		if (pc && *pc == 0 && pol && !*pol)
			preempt_zero++;
		if (!bpf_per_cpu_ptr(&runqueues, n))
			percpu_oob_null++;
	}
	if (bpf_ksym_exists(scx_bpf_cpu_curr)) {
		has_cpu_curr = 1;
		if (scx_bpf_cpu_curr(cpu) == p)
			cpu_curr_ok++;
	}
	for (s32 other = 0; other < n && other < 16; other++) {
		struct rq *orq;
		struct task_struct *c;

		if (other == cpu)
			continue;
		orq = scx_bpf_cpu_rq(other);
		if (!orq)
			continue;
		c = orq->curr;
		if (is_idle_task(c, other))
			remote_idle++;
		else if (c && c->pid > 0)
			remote_busy++;
	}
}

void BPF_STRUCT_OPS(rq_dispatch, s32 cpu, struct task_struct *prev)
{
	if (!prev) {
		struct rq *locked = bpf_ksym_exists(scx_bpf_locked_rq) ? scx_bpf_locked_rq() : scx_bpf_cpu_rq(cpu);

		idle_dispatch++;
		if (is_idle_task(bpf_get_current_task_btf(), cpu))
			idle_current_ok++;
		if (locked && locked->cpu == cpu && is_idle_task(locked->curr, cpu))
			locked_rq_ok++;
	}
	scx_bpf_dsq_move_to_local(SCX_DSQ_GLOBAL);
}

void BPF_STRUCT_OPS(rq_exit, struct scx_exit_info *ei)
{
	bpf_printk("rq_curr ticks %llu rq_curr_ok %llu cpu_curr_ok %llu", ticks, rq_curr_ok, cpu_curr_ok);
	bpf_printk("rq_curr has_cpu_curr %llu remote_idle %llu remote_busy %llu", has_cpu_curr, remote_idle, remote_busy);
	bpf_printk("rq_curr idle_dispatch %llu idle_current_ok %llu locked_rq_ok %llu", idle_dispatch, idle_current_ok, locked_rq_ok);
	bpf_printk("rq_curr clock_ok %llu bad_idle_name %llu", clock_ok, bad_idle_name);
	bpf_printk("rq_curr percpu_rq_ok %llu preempt_zero %llu percpu_oob_null %llu", percpu_rq_ok, preempt_zero, percpu_oob_null);
}

SEC(".struct_ops.link")
struct sched_ext_ops rq_curr_ops = {
	.select_cpu = (void *)rq_select_cpu,
	.enqueue = (void *)rq_enqueue,
	.tick = (void *)rq_tick,
	.dispatch = (void *)rq_dispatch,
	.exit = (void *)rq_exit,
	.name = "rq_curr",
};

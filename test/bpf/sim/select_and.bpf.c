/* SPDX-License-Identifier: MIT */
/*
 * The v6.10-v6.19 kfuncs production schedulers call on the wakeup path:
 * ops.init builds a bpf_cpumask of the even CPUs with bpf_cpumask_populate
 * (v6.14) and stashes it; ops.select_cpu asks for an idle CPU among them
 * with __scx_bpf_select_cpu_and (v6.19, packed arguments) or
 * scx_bpf_select_cpu_and (v6.16), inside bpf_preempt_disable/enable
 * (v6.10), and direct-dispatches there when one is found; every other
 * wakeup goes through ops.enqueue into a vtime DSQ with
 * __scx_bpf_dsq_insert_vtime (v6.19) or scx_bpf_dsq_insert_vtime. On older
 * kernels every new kfunc is guarded by bpf_ksym_exists(), with the
 * pre-v6.14/v6.16 ways as fallbacks.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define VTIME_DSQ 7

s32 scx_bpf_select_cpu_and(struct task_struct *p, s32 prev_cpu, u64 wake_flags, const struct cpumask *cpus_allowed, u64 flags) __ksym __weak;
s32 __scx_bpf_select_cpu_and(struct task_struct *p, const struct cpumask *cpus_allowed, struct scx_bpf_select_cpu_and_args *args) __ksym __weak;
bool __scx_bpf_dsq_insert_vtime(struct task_struct *p, struct scx_bpf_dsq_insert_vtime_args *args) __ksym __weak;
int bpf_cpumask_populate(struct cpumask *cpumask, void *src, size_t src__sz) __ksym __weak;
void bpf_preempt_disable(void) __ksym __weak;
void bpf_preempt_enable(void) __ksym __weak;

struct mask_slot {
	struct bpf_cpumask __kptr *mask;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct mask_slot);
} even_mask SEC(".maps");

u64 picked_even, picked_odd, busy, packed_calls, vtime_inserts, populate_small, fallback_picks;
u64 vtime_now;

s32 BPF_STRUCT_OPS_SLEEPABLE(sa_init)
{
	struct bpf_cpumask *m = bpf_cpumask_create();
	struct mask_slot *slot;
	u64 even = 0x5555555555555555ull;
	u32 small = 1;
	u32 zero = 0;

	if (!m)
		return -12;
	if (bpf_ksym_exists(bpf_cpumask_populate)) {
		/* too small a source for nr_cpu_ids bits (a whole long): -EACCES */
		populate_small = bpf_cpumask_populate((struct cpumask *)m, &small, sizeof(small)) == -13;
		if (bpf_cpumask_populate((struct cpumask *)m, &even, sizeof(even))) {
			bpf_cpumask_release(m);
			return -22;
		}
	} else {
		/* before v6.14: bit by bit */
		for (u32 cpu = 0; cpu < 64; cpu += 2)
			bpf_cpumask_set_cpu(cpu, m);
	}
	slot = bpf_map_lookup_elem(&even_mask, &zero);
	if (!slot) {
		bpf_cpumask_release(m);
		return -2;
	}
	m = bpf_kptr_xchg(&slot->mask, m);
	if (m)
		bpf_cpumask_release(m);
	return scx_bpf_create_dsq(VTIME_DSQ, -1);
}

s32 BPF_STRUCT_OPS(sa_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	struct mask_slot *slot;
	u32 zero = 0;
	s32 cpu = -16;

	slot = bpf_map_lookup_elem(&even_mask, &zero);
	if (!slot)
		return prev_cpu;
	bpf_rcu_read_lock();
	if (slot->mask) {
		bpf_preempt_disable();
		if (bpf_ksym_exists(__scx_bpf_select_cpu_and)) {
			struct scx_bpf_select_cpu_and_args args = { .prev_cpu = prev_cpu, .wake_flags = wake_flags, .flags = 0 };

			cpu = __scx_bpf_select_cpu_and(p, (const struct cpumask *)slot->mask, &args);
			packed_calls++;
		} else if (bpf_ksym_exists(scx_bpf_select_cpu_and)) {
			cpu = scx_bpf_select_cpu_and(p, prev_cpu, wake_flags, (const struct cpumask *)slot->mask, 0);
		} else {
			/* before v6.16: claim an idle CPU of the mask directly */
			cpu = scx_bpf_pick_idle_cpu((const struct cpumask *)slot->mask, 0);
			fallback_picks++;
		}
		bpf_preempt_enable();
	}
	bpf_rcu_read_unlock();
	if (cpu < 0) {
		busy++;
		return prev_cpu;
	}
	if (cpu & 1)
		picked_odd++;
	else
		picked_even++;
	scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
	return cpu;
}

void BPF_STRUCT_OPS(sa_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 vt = p->scx.dsq_vtime;

	if (vt < vtime_now)
		vt = vtime_now;
	if (bpf_ksym_exists(__scx_bpf_dsq_insert_vtime)) {
		struct scx_bpf_dsq_insert_vtime_args args = { .dsq_id = VTIME_DSQ, .slice = 5000000, .vtime = vt, .enq_flags = enq_flags };

		if (__scx_bpf_dsq_insert_vtime(p, &args))
			vtime_inserts++;
	} else {
		scx_bpf_dsq_insert_vtime(p, VTIME_DSQ, 5000000, vt, enq_flags);
		vtime_inserts++;
	}
}

void BPF_STRUCT_OPS(sa_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_bpf_dsq_move_to_local(VTIME_DSQ);
}

void BPF_STRUCT_OPS(sa_running, struct task_struct *p)
{
	if (p->scx.dsq_vtime > vtime_now)
		vtime_now = p->scx.dsq_vtime;
}

void BPF_STRUCT_OPS(sa_stopping, struct task_struct *p, bool runnable)
{
	p->scx.dsq_vtime += 5000000 * 100 / p->scx.weight;
}

void BPF_STRUCT_OPS(sa_exit, struct scx_exit_info *ei)
{
	bpf_printk("select_and even %llu odd %llu busy %llu", picked_even, picked_odd, busy);
	bpf_printk("select_and packed %llu vtime_inserts %llu populate_small %llu", packed_calls, vtime_inserts, populate_small);
	bpf_printk("select_and fallback %llu", fallback_picks);
}

SEC(".struct_ops.link")
struct sched_ext_ops select_and_ops = {
	.init = (void *)sa_init,
	.select_cpu = (void *)sa_select_cpu,
	.enqueue = (void *)sa_enqueue,
	.dispatch = (void *)sa_dispatch,
	.running = (void *)sa_running,
	.stopping = (void *)sa_stopping,
	.exit = (void *)sa_exit,
	.name = "select_and",
};

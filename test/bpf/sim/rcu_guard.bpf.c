/* SPDX-License-Identifier: MIT */
/*
 * A scope-based RCU read lock built on the kernel's own guard type, as scx's
 * lib/cleanup.bpf.h does (scx_layered uses it): class_rcu_t comes from
 * vmlinux.h, whose records are preserve_access_index, so every access to
 * ->lock is a CO-RE relocation against the kernel's class_rcu_t. A kernel
 * BTF without the type poisons those instructions and the first op that
 * takes the guard faults.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

static inline void rcu_guard_exit(class_rcu_t *g)
{
	if (g->lock)
		bpf_rcu_read_unlock();
}

static inline class_rcu_t rcu_guard_enter(void)
{
	class_rcu_t g = { .lock = (void *)1 };

	bpf_rcu_read_lock();
	return g;
}

#define rcu_guard() class_rcu_t __attribute__((cleanup(rcu_guard_exit))) __rcu_guard = rcu_guard_enter()

u64 nr_guarded;

void BPF_STRUCT_OPS(rg_enqueue, struct task_struct *p, u64 enq_flags)
{
	{
		rcu_guard();
		nr_guarded++;
	}
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops rcu_guard_ops = {
	.enqueue		= (void *)rg_enqueue,
	.name			= "rcu_guard",
};

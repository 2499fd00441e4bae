/* SPDX-License-Identifier: MIT */
/*
 * Dereferences a failed map lookup once a task with pid > 3 is enqueued (the
 * kernel verifier would refuse this; the VM faults): the fault must eject the
 * scheduler with the program and source line.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

void BPF_STRUCT_OPS(nd_enqueue, struct task_struct *p, u64 enq_flags)
{
	u32 key = p->pid > 3 ? 1 : 0;
	u64 *c = bpf_map_lookup_elem(&counts, &key);

	*c += 1; /* BUG: index 1 is out of range, c is NULL */
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops null_deref_ops = {
	.enqueue = (void *)nd_enqueue,
	.name = "null_deref",
};

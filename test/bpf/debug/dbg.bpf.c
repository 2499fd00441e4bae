/* SPDX-License-Identifier: MIT */
/*
 * Debugger fixture: a FIFO scheduler whose enqueue calls a bpf-to-bpf
 * subprogram (weigh) and then bumps a counter through a map lookup. With
 * fault_pid set (--set fault_pid=N), enqueueing that task looks up a key
 * that does not exist and dereferences the NULL result: a fault at a known
 * line. The debugger tests name lines by the markers in the comments.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

const volatile s32 fault_pid = -1;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

u64 nr_enqueued;

static __noinline u64 weigh(struct task_struct *p, u64 enq_flags)
{
	u64 w = p->scx.weight; /* LINE_WEIGH */

	if (enq_flags & SCX_ENQ_WAKEUP)
		w += 1000; /* LINE_WAKEUP */
	return w;
}

void BPF_STRUCT_OPS(dbg_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 w = weigh(p, enq_flags); /* LINE_CALL */
	u32 key = p->pid == fault_pid ? 1 : 0; /* LINE_KEY */
	u64 *c = bpf_map_lookup_elem(&counts, &key);

	*c += w; /* LINE_FAULT */
	nr_enqueued++; /* LINE_COUNT */
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops dbg_ops = {
	.enqueue = (void *)dbg_enqueue,
	.name = "dbg",
};

/* SPDX-License-Identifier: MIT */
/*
 * Setup-module fixture: an ARRAY_OF_MAPS with no initial slots, populated
 * after load by the setup (an inner map created from the outer map's
 * template, filled, then inserted), as schedulers with per-domain maps do.
 * ops.enqueue reads the time slice from slot 0's inner map; until the setup
 * has inserted it, ops.init refuses to start.
 */
#include <scx/common.bpf.h>
#include <scx/compat.bpf.h>

char _license[] SEC("license") = "GPL";

struct slice_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, u32);
	__array(values, struct slice_map);
} slices SEC(".maps");

u64 used_slice_ns;

static u64 *slice_of(u32 outer, u32 inner)
{
	void *m = bpf_map_lookup_elem(&slices, &outer);

	if (!m)
		return NULL;
	return bpf_map_lookup_elem(m, &inner);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(inner_init)
{
	u64 *s = slice_of(0, 1);

	if (!s) {
		scx_bpf_error("slices[0] has no inner map: the setup did not insert one");
		return -EINVAL;
	}
	used_slice_ns = *s;
	return 0;
}

void BPF_STRUCT_OPS(inner_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 *s = slice_of(0, 1);

	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, s ? *s : SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops inner_ops = {
	.init = (void *)inner_init,
	.enqueue = (void *)inner_enqueue,
	.name = "inner_maps",
};

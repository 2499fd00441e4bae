/* SPDX-License-Identifier: MIT */
/* Loader test: per-CPU arrays declared with one element in sections of their
 * own, for userspace to resize before load (bpf_map__set_value_size), the
 * way sched_ext schedulers declare them. Written for scxray's tests. */
#include "loader.h"

/* One-element arrays alone in their section: the common shape. */
SEC(".data.started_at") u64 started_at[1] = { 7 };
/* Two elements, to shrink. */
SEC(".bss.counts") u32 counts[2];

/* A scalar before the array: the array starts at byte 8 of its section. */
SEC(".data.with_head") u64 head = 0x1234;
SEC(".data.with_head") u64 tail[1];

/* The last variable is not an array: not resizable. */
SEC(".data.scalar_last") u64 lone = 5;

/* Each program takes (index, value) in ctx. */
SEC("syscall")
long started_set(u64 *ctx)
{
	u32 i = ctx[0];

	started_at[i] = ctx[1];
	return 0;
}

SEC("syscall")
long started_get(u64 *ctx)
{
	u32 i = ctx[0];

	return started_at[i];
}

SEC("syscall")
long count_inc(u64 *ctx)
{
	u32 i = ctx[0];

	return ++counts[i];
}

SEC("syscall")
long tail_get(u64 *ctx)
{
	u32 i = ctx[0];

	return tail[i] + head + lone;
}

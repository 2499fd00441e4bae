/* SPDX-License-Identifier: MIT */
/*
 * Reports which scx_bpf_dsq_insert variant the emulated kernel offers:
 * ops.init exits with code 2 (bool-returning, v6.19+), 1 (void, v6.13+) or
 * 0 (only the pre-v6.13 scx_bpf_dispatch).
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

s32 BPF_STRUCT_OPS_SLEEPABLE(compat_init)
{
	s64 variant = 0;

	if (bpf_ksym_exists(scx_bpf_dsq_insert___v2___compat))
		variant = 2;
	else if (bpf_ksym_exists(scx_bpf_dsq_insert___v1))
		variant = 1;
	scx_bpf_exit(variant, "insert variant %lld", variant);
	return 0;
}

SEC(".struct_ops.link")
struct sched_ext_ops compat_ops = {
	.init = (void *)compat_init,
	.name = "compat_insert",
};

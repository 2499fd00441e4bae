/* SPDX-License-Identifier: MIT */
/*
 * The simulated kernel's BTF as of v6.18: adds scx_bpf_cpu_curr and scx_bpf_locked_rq.
 * See kernel.bpf.c; this variant only selects the release.
 */
#define SCXRAY_KERNEL_VERSION 618
#include "kernel.bpf.c"

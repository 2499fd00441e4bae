/* SPDX-License-Identifier: MIT */
/*
 * The simulated kernel's BTF as of v6.15: adds the NUMA node kfuncs, scx_bpf_events, bpf_cpumask_populate and bpf_res_spin_lock.
 * See kernel.bpf.c; this variant only selects the release.
 */
#define SCXRAY_KERNEL_VERSION 615
#include "kernel.bpf.c"

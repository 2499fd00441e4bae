/* SPDX-License-Identifier: MIT */
/*
 * The simulated kernel's BTF as of v6.13-v6.18: the renamed kfuncs, scx_bpf_dsq_insert returning void.
 * See kernel.bpf.c; this variant only selects the release.
 */
#define SCXRAY_KERNEL_VERSION 613
#include "kernel.bpf.c"

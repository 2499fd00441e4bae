/* SPDX-License-Identifier: MIT */
/*
 * The simulated kernel's BTF as of v6.13: the renamed kfuncs (scx_bpf_dsq_insert, scx_bpf_dsq_move*) beside the old names.
 * See kernel.bpf.c; this variant only selects the release.
 */
#define SCXRAY_KERNEL_VERSION 613
#include "kernel.bpf.c"

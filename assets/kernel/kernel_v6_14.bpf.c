/* SPDX-License-Identifier: MIT */
/*
 * The simulated kernel's BTF as of v6.14: adds scx_bpf_now.
 * See kernel.bpf.c; this variant only selects the release.
 */
#define SCXRAY_KERNEL_VERSION 614
#include "kernel.bpf.c"

/* SPDX-License-Identifier: MIT */
/*
 * The simulated kernel's BTF as of v6.16: adds scx_bpf_select_cpu_and, bpf_list_front/back; the last release with the pre-v6.13 names.
 * See kernel.bpf.c; this variant only selects the release.
 */
#define SCXRAY_KERNEL_VERSION 616
#include "kernel.bpf.c"

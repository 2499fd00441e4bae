/* SPDX-License-Identifier: MIT */
/*
 * The simulated kernel's BTF as of v6.17: the pre-v6.13 names are gone; adds bpf_arena_reserve_pages.
 * See kernel.bpf.c; this variant only selects the release.
 */
#define SCXRAY_KERNEL_VERSION 617
#include "kernel.bpf.c"

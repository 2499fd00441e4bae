/* SPDX-License-Identifier: MIT */
/*
 * The simulated kernel's BTF as of v6.12, the first release with sched_ext: only the original kfunc names.
 * See kernel.bpf.c; this variant only selects the release.
 */
#define SCXRAY_KERNEL_VERSION 612
#include "kernel.bpf.c"

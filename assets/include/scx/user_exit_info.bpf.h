/* SPDX-License-Identifier: MIT */
/*
 * User exit info: where a scheduler keeps ops.exit()'s scx_exit_info for its
 * userspace half to print, in the style of upstream's user_exit_info.h.
 *
 *   UEI_DEFINE(uei);                       at file scope
 *   void BPF_STRUCT_OPS(x_exit, struct scx_exit_info *ei) { UEI_RECORD(uei, ei); }
 *
 * The copy lives in .data, so scxray shows it in the variable view after the
 * scheduler exits. The kernel's reason and msg are kernel strings, read with
 * bpf_probe_read_kernel_str(); kind is written last so a reader that sees it
 * non-zero sees the rest.
 */
#ifndef __SCX_USER_EXIT_INFO_BPF_H
#define __SCX_USER_EXIT_INFO_BPF_H

#define UEI_REASON_LEN 128
#define UEI_MSG_LEN 1024

struct user_exit_info {
	int kind;
	s64 exit_code;
	char reason[UEI_REASON_LEN];
	char msg[UEI_MSG_LEN];
};

#define UEI_DEFINE(__name) struct user_exit_info __name SEC(".data")

#define UEI_RECORD(__uei_name, __ei)                                                              \
	({                                                                                        \
		bpf_probe_read_kernel_str(__uei_name.reason, sizeof(__uei_name.reason), (__ei)->reason); \
		bpf_probe_read_kernel_str(__uei_name.msg, sizeof(__uei_name.msg), (__ei)->msg);   \
		__uei_name.exit_code = (__ei)->exit_code;                                          \
		/* the kind goes last: it says the record is complete */                          \
		__sync_val_compare_and_swap(&__uei_name.kind, __uei_name.kind, (__ei)->kind);      \
	})

#endif /* __SCX_USER_EXIT_INFO_BPF_H */

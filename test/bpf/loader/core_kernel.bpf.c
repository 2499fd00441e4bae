/* CO-RE against a real kernel's BTF: field offsets, sizes, existence,
 * signedness, bitfield shifts, type ids and sizes, and enum values of kernel
 * types (vmlinux.h records carry preserve_access_index). Relocated by scxray's
 * loader and by libbpf against /sys/kernel/btf/vmlinux, then compared
 * relocation by relocation (test/kernel/core_diff.test.ts). The programs
 * only need to relocate, not to run. */
#include <scx/common.bpf.h>

u64 out[64];

SEC("syscall")
int task_fields(void *ctx)
{
	struct task_struct *p = (void *)out[63];

	out[0] = __builtin_preserve_field_info(p->pid, 0);            /* FIELD_BYTE_OFFSET */
	out[1] = __builtin_preserve_field_info(p->tgid, 0);
	out[2] = __builtin_preserve_field_info(p->comm, 0);
	out[3] = __builtin_preserve_field_info(p->comm, 1);           /* FIELD_BYTE_SIZE */
	out[4] = __builtin_preserve_field_info(p->scx.dsq_vtime, 0);
	out[5] = __builtin_preserve_field_info(p->scx.slice, 0);
	out[6] = __builtin_preserve_field_info(p->scx.weight, 0);
	out[7] = __builtin_preserve_field_info(p->scx.flags, 0);
	out[8] = __builtin_preserve_field_info(p->se.vruntime, 0);
	out[9] = __builtin_preserve_field_info(p->prio, 0);
	out[10] = __builtin_preserve_field_info(p->static_prio, 0);
	out[11] = __builtin_preserve_field_info(p->nr_cpus_allowed, 0);
	out[12] = __builtin_preserve_field_info(p->cpus_ptr, 0);
	out[13] = __builtin_preserve_field_info(p->flags, 0);
	out[14] = __builtin_preserve_field_info(p->pid, 2);           /* FIELD_EXISTS */
	out[15] = __builtin_preserve_field_info(p->pid, 3);           /* FIELD_SIGNED */
	out[16] = __builtin_preserve_field_info(p->flags, 3);
	out[17] = __builtin_preserve_field_info(p->scx.dsq_vtime, 1);
	out[18] = __builtin_preserve_field_info(p->real_parent, 0);
	out[19] = __builtin_preserve_field_info(p->__state, 0);
	return 0;
}

SEC("syscall")
int task_reads(void *ctx)
{
	struct task_struct *p = (void *)out[63];

	/* Direct reads: each is an LDX whose offset is relocated. */
	out[20] = p->pid;
	out[21] = p->scx.dsq_vtime;
	out[22] = p->scx.slice;
	out[23] = p->se.sum_exec_runtime;
	out[24] = p->nr_cpus_allowed;
	return 0;
}

SEC("syscall")
int types_and_enums(void *ctx)
{
	out[30] = bpf_core_type_size(struct task_struct);
	out[31] = bpf_core_type_size(struct rq);
	out[32] = bpf_core_type_size(struct sched_ext_entity);
	out[33] = bpf_core_type_exists(struct cgroup);
	out[34] = bpf_core_enum_value(enum scx_exit_kind, SCX_EXIT_ERROR);
	out[35] = bpf_core_enum_value(enum scx_exit_kind, SCX_EXIT_UNREG_KERN);
	out[36] = bpf_core_enum_value_exists(enum scx_exit_kind, SCX_EXIT_SYSRQ);
	out[37] = __builtin_preserve_field_info(((struct task_struct *)out[63])->scx, 2);
	out[38] = __builtin_preserve_field_info(((struct cgroup *)out[62])->kn, 1);
	out[39] = __builtin_preserve_field_info(((struct rq *)out[61])->cpu, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* Declares a strong kfunc with a prototype the kernel's does not match
 * (one argument where scx_bpf_kick_cpu takes two): libbpf refuses the load. */
#include "loader.h"

void scx_bpf_kick_cpu(s32 cpu) __ksym;

SEC("struct_ops/kicks")
int kicks(unsigned long long *ctx)
{
	scx_bpf_kick_cpu(0);
	return 0;
}

char _license[] SEC("license") = "GPL";

/* Calls a strong kfunc the simulated kernel does not have: loading must fail
 * naming the kfunc, the calling program and the source line. */
#include "loader.h"

struct task_struct;
void scx_bpf_no_such_kfunc(u64 x) __ksym;

SEC("struct_ops/calls_missing")
int calls_missing(unsigned long long *ctx)
{
	scx_bpf_no_such_kfunc(ctx[0]);
	return 0;
}

char _license[] SEC("license") = "GPL";

/* A struct_ops member bound to a program that is not a struct_ops program. */
#include "loader.h"

struct task_struct;
struct sched_ext_ops {
	void (*enqueue)(struct task_struct *p, u64 enq_flags);
	char name[128];
};

SEC("syscall")
int not_struct_ops(void *ctx) { return 0; }

SEC(".struct_ops.link")
struct sched_ext_ops bad_ops = { .enqueue = (void *)not_struct_ops, .name = "bad" };

char _license[] SEC("license") = "GPL";

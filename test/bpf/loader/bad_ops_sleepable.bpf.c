/* A sleepable program bound to enqueue, which bpf_scx_check_member refuses. */
#include "loader.h"

struct task_struct;
struct sched_ext_ops {
	void (*enqueue)(struct task_struct *p, u64 enq_flags);
	char name[128];
};

SEC("struct_ops.s/enq")
int enq(unsigned long long *ctx) { return 0; }

SEC(".struct_ops.link")
struct sched_ext_ops sleepy_ops = { .enqueue = (void *)enq, .name = "sleepy" };

char _license[] SEC("license") = "GPL";

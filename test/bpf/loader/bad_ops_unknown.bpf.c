/* A struct_ops map setting a member the kernel's sched_ext_ops does not have. */
#include "loader.h"

struct task_struct;
struct sched_ext_ops___ext {
	void (*enqueue)(struct task_struct *p, u64 enq_flags);
	u32 unknown_knob;
	char name[128];
};

SEC("struct_ops/enq")
int enq(unsigned long long *ctx) { return 0; }

SEC(".struct_ops.link")
struct sched_ext_ops___ext bad_ops = { .enqueue = (void *)enq, .unknown_knob = 1, .name = "bad" };

char _license[] SEC("license") = "GPL";

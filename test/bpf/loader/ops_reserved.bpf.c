/* Sets a member the kernel's struct has but does not let a BPF scheduler set. */
#include "loader.h"

struct task_struct;
struct sched_ext_ops {
	void (*enqueue)(struct task_struct *p, u64 enq_flags);
	u32 timeout_ms;
	u32 reserved;
	char name[128];
};

SEC("struct_ops/enq")
int enq(unsigned long long *ctx) { return 0; }

SEC(".struct_ops.link")
struct sched_ext_ops reserved_ops = { .enqueue = (void *)enq, .timeout_ms = 1000, .reserved = 3, .name = "reserved" };

char _license[] SEC("license") = "GPL";

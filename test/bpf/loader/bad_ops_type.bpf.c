/* A struct_ops member whose type differs from the kernel's (u64 vs function pointer). */
#include "loader.h"

struct sched_ext_ops___mistyped {
	u64 enqueue;
	char name[128];
};

SEC(".struct_ops")
struct sched_ext_ops___mistyped bad_ops = { .enqueue = 5, .name = "bad" };

char _license[] SEC("license") = "GPL";

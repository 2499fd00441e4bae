/* A "kernel" whose sched_ext_ops has a data member bpf_scx_init_member()
 * does not accept (reserved): a struct_ops map must keep it zero. Only the
 * BTF is used. */
#include "loader.h"

struct task_struct { int pid; };

struct sched_ext_ops {
	void (*enqueue)(struct task_struct *p, u64 enq_flags);
	u32 timeout_ms;
	u32 reserved;
	char name[128];
};

struct sched_ext_ops kernel_extra_ops_type;

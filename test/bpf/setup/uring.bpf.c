/* SPDX-License-Identifier: MIT */
/*
 * User ring buffer fixture: the setup module submits records from user space
 * (user_ring_buffer__reserve/submit, skel.maps.M.submit here) and a
 * SEC("syscall") program drains them with bpf_user_ringbuf_drain(), the way
 * scx_rustland's BPF side receives dispatch decisions from its userspace
 * scheduler. ops.init only names the scheduler.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

struct bpf_dynptr {
	__u64 __opaque[2];
} __attribute__((aligned(8)));

static long (*const bpf_user_ringbuf_drain)(void *map, void *callback_fn, void *ctx, __u64 flags) = (void *)209;
static long (*const bpf_dynptr_read)(void *dst, __u32 len, const struct bpf_dynptr *src, __u32 offset, __u64 flags) = (void *)201;

struct decision {
	u64 pid;
	u64 cpu;
};

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} decisions SEC(".maps");

u64 seen;       /* records drained */
u64 pid_sum;    /* sum of their pids */
u64 last_cpu;   /* cpu of the last one */

static long on_decision(struct bpf_dynptr *dynptr, void *ctx)
{
	struct decision d;

	if (bpf_dynptr_read(&d, sizeof(d), dynptr, 0, 0))
		return 1;
	seen++;
	pid_sum += d.pid;
	last_cpu = d.cpu;
	return 0;
}

SEC("syscall")
int drain_decisions(void *ctx)
{
	return bpf_user_ringbuf_drain(&decisions, on_decision, NULL, 0);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(uring_init)
{
	return 0;
}

SEC(".struct_ops.link")
struct sched_ext_ops uring_ops = {
	.init = (void *)uring_init,
	.name = "uring",
};

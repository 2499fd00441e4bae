/* SPDX-License-Identifier: MIT */
/*
 * Runtime test: a user ring buffer drained the way scx_rustland's BPF side
 * does: bpf_user_ringbuf_drain() hands each sample to a callback as a dynptr,
 * read with bpf_dynptr_data() (a pointer into the sample) and
 * bpf_dynptr_read() (a copy). The callback stops the drain when it sees a
 * sample whose `stop` is set.
 */
#include <scx/common.bpf.h>

struct bpf_dynptr {
	__u64 __opaque[2];
} __attribute__((aligned(8)));

static long (*const bpf_user_ringbuf_drain)(void *map, void *callback_fn, void *ctx, __u64 flags) = (void *)209;
static void *(*const bpf_dynptr_data)(const struct bpf_dynptr *ptr, __u32 offset, __u32 len) = (void *)203;
static long (*const bpf_dynptr_read)(void *dst, __u32 len, const struct bpf_dynptr *src, __u32 offset, __u64 flags) = (void *)201;

struct sample {
	u64 pid;
	u64 slice;
	u32 stop;
	u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} from_user SEC(".maps");

u64 out[4]; /* samples seen, sum of pid*1000 + slice, bytes read by copy, oversized reads refused */

static long on_sample(struct bpf_dynptr *dynptr, void *ctx)
{
	const struct sample *s = bpf_dynptr_data(dynptr, 0, sizeof(*s));
	u64 slice = 0;

	if (!s)
		return 0;
	out[0]++;
	if (bpf_dynptr_read(&slice, sizeof(slice), dynptr, 8, 0) == 0)
		out[2] += sizeof(slice);
	/* past the sample's end: NULL from dynptr_data */
	if (!bpf_dynptr_data(dynptr, 8, sizeof(*s)))
		out[3]++;
	out[1] += s->pid * 1000 + slice;
	return s->stop ? 1 : 0;
}

SEC("syscall")
int drain(void *ctx)
{
	return bpf_user_ringbuf_drain(&from_user, on_sample, NULL, 0);
}

char _license[] SEC("license") = "GPL";

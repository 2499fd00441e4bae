/* SPDX-License-Identifier: MIT */
/*
 * Userspace filling arena memory the BPF side allocated, the way scx's arena
 * library sets up its topology: a SEC("syscall") program allocates a bitmap
 * in the arena and returns its address in the context; userspace writes the
 * CPU mask through its mapping of the arena (the setup module's
 * skel.maps.arena.write); a second program reads the mask back and records
 * what it saw. peek_word reads one word at any arena address, for pages only
 * userspace touched.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define __arena __attribute__((address_space(1)))
#define __ulong(name, val) enum { __scxray_concat(__unique_value, __COUNTER__) = val } name
#define __scxray_concat(a, b) __scxray_concat2(a, b)
#define __scxray_concat2(a, b) a##b
#define NUMA_NO_NODE (-1)
#define MASK_WORDS 4

void __arena *bpf_arena_alloc_pages(void *map, void __arena *addr, __u32 page_cnt, int node_id, __u64 flags) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 32);
	__ulong(map_extra, 1ull << 44);
} arena SEC(".maps");

struct mask_args {
	u64 addr;	/* in: the mask's arena address; out of mask_alloc: it */
};

u64 nr_bits;	/* set bits mask_commit counted */
u64 last_word;	/* the mask's last word */
u64 peeked;	/* what peek_word read */

SEC("syscall")
int mask_alloc(struct mask_args *args)
{
	u64 __arena *mask = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);

	if (!mask)
		return -12;
	args->addr = (u64)mask;
	return 0;
}

SEC("syscall")
int mask_commit(struct mask_args *args)
{
	u64 __arena *mask = (u64 __arena *)args->addr;
	int i;

	nr_bits = 0;
	for (i = 0; i < MASK_WORDS; i++)
		nr_bits += __builtin_popcountll(mask[i]);
	last_word = mask[MASK_WORDS - 1];
	return 0;
}

SEC("syscall")
int peek_word(struct mask_args *args)
{
	peeked = *(u64 __arena *)args->addr;
	return 0;
}

void BPF_STRUCT_OPS(am_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops arena_mask_ops = {
	.enqueue		= (void *)am_enqueue,
	.name			= "arena_mask",
};

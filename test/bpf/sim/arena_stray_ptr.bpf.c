/* SPDX-License-Identifier: MIT */
/*
 * __arena pointers whose upper 32 bits are not the arena's, the two ways
 * production schedulers meet them: an address the userspace half computed
 * from its own mapping of the arena (map_extra + offset, what a Rust or C
 * main() writes into a global), and a pointer slot in arena memory that
 * holds something else (an allocator that was not initialised yet, a union
 * member). The kernel keeps only the low 32 bits when it casts an __arena
 * pointer for an access (cast_kern is the 32-bit move wD = wS and the JIT
 * adds kern_vm_start), so both reach the arena page at that offset: no
 * fault. ops.init writes through each and reads the values back through the
 * pointer bpf_arena_alloc_pages() returned; the test checks them.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define __arena __attribute__((address_space(1)))
/* libbpf's __ulong: a 64-bit map attribute as a one-enumerator enum */
#define __ulong(name, val) enum { __scxray_concat(__unique_value, __COUNTER__) = val } name
#define __scxray_concat(a, b) __scxray_concat2(a, b)
#define __scxray_concat2(a, b) a##b
#define NUMA_NO_NODE (-1)
#define ARENA_USER_BASE (1ull << 44)

void __arena *bpf_arena_alloc_pages(void *map, void __arena *addr, __u32 page_cnt, int node_id, __u64 flags) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 16);
	__ulong(map_extra, ARENA_USER_BASE);
} arena SEC(".maps");

struct slot {
	u64 a;
	u64 b;
};

/* a pointer slot in the arena; ops.init fills it with a non-pointer value */
struct slot __arena * __arena stray;

/* what userspace would write before attach: its address of the arena's page 2 */
const volatile u64 user_addr_of_page2 = ARENA_USER_BASE + 2 * 4096;

/* read back through the allocator's pointer */
u64 via_user_a, via_stray_b, pages_off;

s32 BPF_STRUCT_OPS_SLEEPABLE(as_init)
{
	u64 base = ((struct bpf_arena *)&arena)->user_vm_start;
	struct slot __arena *pages, *user;

	/* pages 0..3: page 0 holds the __arena global, so these start at page 1 */
	pages = bpf_arena_alloc_pages(&arena, NULL, 3, NUMA_NO_NODE, 0);
	if (!pages)
		return -12;
	pages_off = (u64)pages - base;

	user = (struct slot __arena *)user_addr_of_page2;
	user->a = 1111;

	/* upper half garbage, lower half the offset of page 1 + 16 */
	*(u64 __arena *)&stray = (0xdeadull << 48) | (pages_off + sizeof(struct slot));
	stray->b = 2222;

	via_user_a = pages[(2 * 4096 - pages_off) / sizeof(struct slot)].a;
	via_stray_b = pages[1].b;
	return 0;
}

void BPF_STRUCT_OPS(as_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops arena_stray_ptr_ops = {
	.init			= (void *)as_init,
	.enqueue		= (void *)as_enqueue,
	.name			= "arena_stray_ptr",
};

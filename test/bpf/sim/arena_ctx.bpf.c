/* SPDX-License-Identifier: MIT */
/*
 * An arena-backed per-task context allocator, the pattern of the scx
 * libraries (sdt_alloc) in miniature: an ARENA map declared with
 * __ulong(map_extra, ...), __arena globals in .addr_space.1 (a bump
 * pointer and counters), pages from bpf_arena_alloc_pages() as the
 * allocator needs them, one struct task_ctx per task handed out in
 * ops.init_task and found again through task storage, updated in
 * ops.running. ops.init also checks the kernel's page rules: a freed page
 * reads 0 and drops writes, a fixed-address request for a taken page gets
 * NULL, and the first allocation lands right after the globals' page.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define __arena __attribute__((address_space(1)))
/* libbpf's __ulong: a 64-bit map attribute as a one-enumerator enum */
#define __ulong(name, val) enum { __scxray_concat(__unique_value, __COUNTER__) = val } name
#define __scxray_concat(a, b) __scxray_concat2(a, b)
#define __scxray_concat2(a, b) a##b
#define PAGE_SIZE 4096
#define NUMA_NO_NODE (-1)
#define CTX_PAGES 2

void __arena *bpf_arena_alloc_pages(void *map, void __arena *addr, __u32 page_cnt, int node_id, __u64 flags) __ksym;
void bpf_arena_free_pages(void *map, void __arena *ptr, __u32 page_cnt) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 64);
	__ulong(map_extra, 1ull << 44);
} arena SEC(".maps");

struct task_ctx {
	u64 pid;
	u64 runs;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, u64);
} task_ctxs SEC(".maps");

/* __arena globals: the allocator's state lives in the arena itself */
struct task_ctx __arena *next_ctx;
struct task_ctx __arena *ctx_end;
u64 __arena arena_runs;
u64 __arena nr_ctx = 7; /* initialised data: starts at 7 from the object */

/* ordinary globals, for the test to compare with */
u64 bss_runs, nr_pages_allocated, first_page_off, freed_read, taken_alloc_null, init_nr_ctx;

static struct task_ctx __arena *ctx_alloc(void)
{
	struct task_ctx __arena *c = next_ctx;

	if (!c || c + 1 > ctx_end) {
		c = bpf_arena_alloc_pages(&arena, NULL, CTX_PAGES, NUMA_NO_NODE, 0);
		if (!c)
			return NULL;
		nr_pages_allocated += CTX_PAGES;
		ctx_end = (struct task_ctx __arena *)((char __arena *)c + CTX_PAGES * PAGE_SIZE);
	}
	next_ctx = c + 1;
	nr_ctx++;
	return c;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(ac_init)
{
	u64 base = ((struct bpf_arena *)&arena)->user_vm_start;
	u64 __arena *page, *again;

	init_nr_ctx = nr_ctx;
	page = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
	if (!page)
		return -12;
	first_page_off = (u64)page - base;
	/* the same page again, at its address: taken, so NULL */
	again = bpf_arena_alloc_pages(&arena, page, 1, NUMA_NO_NODE, 0);
	taken_alloc_null = again == NULL;
	*page = 42;
	bpf_arena_free_pages(&arena, page, 1);
	/* volatile: the compiler must not forward the store to the load */
	*(volatile u64 __arena *)page = 43;		/* dropped: the page is gone */
	freed_read = *(volatile u64 __arena *)page;	/* reads 0 */
	return 0;
}

s32 BPF_STRUCT_OPS(ac_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	struct task_ctx __arena *c = ctx_alloc();
	u64 *slot;

	if (!c)
		return -12;
	c->pid = p->pid;
	c->runs = 0;
	slot = bpf_task_storage_get(&task_ctxs, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!slot)
		return -12;
	*slot = (u64)c;
	return 0;
}

void BPF_STRUCT_OPS(ac_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(ac_running, struct task_struct *p)
{
	u64 *slot = bpf_task_storage_get(&task_ctxs, p, 0, 0);
	struct task_ctx __arena *c;

	if (!slot)
		return;
	c = (struct task_ctx __arena *)*slot;
	if (c->pid != p->pid) {
		scx_bpf_error("task_ctx of pid %d says pid %llu", p->pid, c->pid);
		return;
	}
	c->runs++;
	arena_runs++;
	bss_runs++;
}

void BPF_STRUCT_OPS(ac_exit, struct scx_exit_info *ei)
{
	bpf_printk("arena_ctx runs %llu/%llu", arena_runs, bss_runs);
	bpf_printk("arena_ctx ctx %llu init %llu pages %llu", nr_ctx, init_nr_ctx, nr_pages_allocated);
	bpf_printk("arena_ctx first_page_off %llu freed_read %llu taken_null %llu", first_page_off, freed_read, taken_alloc_null);
}

SEC(".struct_ops.link")
struct sched_ext_ops arena_ctx_ops = {
	.init = (void *)ac_init,
	.init_task = (void *)ac_init_task,
	.enqueue = (void *)ac_enqueue,
	.running = (void *)ac_running,
	.exit = (void *)ac_exit,
	.name = "arena_ctx",
};

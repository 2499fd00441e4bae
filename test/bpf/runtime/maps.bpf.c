/* SPDX-License-Identifier: MIT */
/* Runtime test: map types and their update/lookup/delete semantics and error codes. */
#include <scx/common.bpf.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2);
	__type(key, u32);
	__type(value, u64);
} hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 2);
	__type(key, u32);
	__type(value, u64);
} lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} pcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 3);
	__type(value, u64);
} queue SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 3);
	__type(value, u64);
} stack SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct task_ctx {
	u64 runs;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} tstore SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &inner_a, [1] = &inner_b },
};

/* Each program takes (key, value, flags) in ctx and returns the helper's result. */

SEC("syscall")
int arr_update(u64 *ctx)
{
	u32 k = ctx[0];
	u64 v = ctx[1];

	return bpf_map_update_elem(&arr, &k, &v, ctx[2]);
}

SEC("syscall")
int arr_delete(u64 *ctx)
{
	u32 k = ctx[0];

	return bpf_map_delete_elem(&arr, &k);
}

/* Lookup: the value, or -1 for NULL. */
SEC("syscall")
long arr_lookup(u64 *ctx)
{
	u32 k = ctx[0];
	u64 *v = bpf_map_lookup_elem(&arr, &k);

	return v ? *v : -1;
}

SEC("syscall")
int hash_update(u64 *ctx)
{
	u32 k = ctx[0];
	u64 v = ctx[1];

	return bpf_map_update_elem(&hash, &k, &v, ctx[2]);
}

SEC("syscall")
int hash_delete(u64 *ctx)
{
	u32 k = ctx[0];

	return bpf_map_delete_elem(&hash, &k);
}

SEC("syscall")
long hash_lookup(u64 *ctx)
{
	u32 k = ctx[0];
	u64 *v = bpf_map_lookup_elem(&hash, &k);

	return v ? *v : -1;
}

/* Keep a pointer to a hash value across its deletion, then read it. */
SEC("syscall")
long hash_stale(u64 *ctx)
{
	u32 k = ctx[0];
	u64 *v = bpf_map_lookup_elem(&hash, &k);

	if (!v)
		return -1;
	bpf_map_delete_elem(&hash, &k);
	return *v; /* MARK:stale */
}

SEC("syscall")
int lru_update(u64 *ctx)
{
	u32 k = ctx[0];
	u64 v = ctx[1];

	return bpf_map_update_elem(&lru, &k, &v, BPF_ANY);
}

SEC("syscall")
long lru_lookup(u64 *ctx)
{
	u32 k = ctx[0];
	u64 *v = bpf_map_lookup_elem(&lru, &k);

	return v ? *v : -1;
}

/* Add ctx[0] to this CPU's counter and return it. */
SEC("syscall")
long pcpu_add(u64 *ctx)
{
	u32 k = 0;
	u64 *v = bpf_map_lookup_elem(&pcpu, &k);

	if (!v)
		return -1;
	*v += ctx[0];
	return *v;
}

SEC("syscall")
int q_push(u64 *ctx)
{
	u64 v = ctx[0];

	return bpf_map_push_elem(ctx[2] ? (void *)&stack : (void *)&queue, &v, ctx[1]);
}

/* pop (ctx[1] == 0) or peek; returns the value or the error. */
SEC("syscall")
long q_pop(u64 *ctx)
{
	void *m = ctx[2] ? (void *)&stack : (void *)&queue;
	u64 v = 0;
	long err = ctx[1] ? bpf_map_peek_elem(m, &v) : bpf_map_pop_elem(m, &v);

	return err ? err : v;
}

/* Reserve a record of 16 bytes, fill it, then submit (ctx[1] == 0) or discard. */
SEC("syscall")
int rb_record(u64 *ctx)
{
	u64 *rec = bpf_ringbuf_reserve(&rb, 16, 0);

	if (!rec)
		return -1;
	rec[0] = ctx[0];
	rec[1] = ctx[0] * 2;
	if (ctx[1])
		bpf_ringbuf_discard(rec, 0);
	else
		bpf_ringbuf_submit(rec, 0);
	return 0;
}

SEC("syscall")
int rb_out(u64 *ctx)
{
	u32 v = ctx[0];

	return bpf_ringbuf_output(&rb, &v, sizeof(v), 0);
}

/* Count runs of task ctx[0] in task storage (created on first use); ctx[1] != 0 deletes. */
SEC("syscall")
long task_count(u64 *ctx)
{
	struct task_struct *p = (void *)ctx[0];
	struct task_ctx *tc;

	if (ctx[1])
		return bpf_task_storage_delete(&tstore, p);
	tc = bpf_task_storage_get(&tstore, p, NULL, ctx[2] ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	if (!tc)
		return -1;
	return ++tc->runs;
}

/* Write ctx[1] into the inner map at outer[ctx[0]], then read it back through arr-of-maps. */
SEC("syscall")
long outer_set(u64 *ctx)
{
	u32 k = ctx[0], zero = 0;
	void *in = bpf_map_lookup_elem(&outer, &k);
	u64 v = ctx[1], *p;

	if (!in)
		return -1;
	if (bpf_map_update_elem(in, &zero, &v, BPF_ANY))
		return -2;
	p = bpf_map_lookup_elem(in, &zero);
	return p ? *p : -3;
}

char LICENSE[] SEC("license") = "GPL";

/* SPDX-License-Identifier: MIT */
/* Runtime test: per-CPU hash, hash of maps, cgroup storage, read-only .rodata, bpf_task_from_pid. */
#include <scx/common.bpf.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} pch SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} in0 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, u32);
	__array(values, struct inner);
} hom SEC(".maps") = {
	.values = { [3] = &in0 },
};

struct cg_ctx {
	u64 weight;
};

struct {
	__uint(type, BPF_MAP_TYPE_CGRP_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct cg_ctx);
} cgstore SEC(".maps");

const volatile u64 limit = 10;

/* Add ctx[1] to key ctx[0]'s per-CPU value (created on first use); return this CPU's value. */
SEC("syscall")
long pch_add(u64 *ctx)
{
	u32 k = ctx[0];
	u64 zero = 0, *v = bpf_map_lookup_elem(&pch, &k);

	if (!v) {
		bpf_map_update_elem(&pch, &k, &zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&pch, &k);
		if (!v)
			return -1;
	}
	*v += ctx[1];
	return *v;
}

/* Through hom[ctx[0]]: store ctx[1] at key 1 of the inner hash and read it back. */
SEC("syscall")
long hom_set(u64 *ctx)
{
	u32 k = ctx[0], one = 1;
	void *in = bpf_map_lookup_elem(&hom, &k);
	u64 v = ctx[1], *p;

	if (!in)
		return -1;
	bpf_map_update_elem(in, &one, &v, BPF_ANY);
	p = bpf_map_lookup_elem(in, &one);
	return p ? *p : -2;
}

/* Set the weight of cgroup ctx[0] (creating its storage) and return the previous one. */
SEC("syscall")
long cg_weight(u64 *ctx)
{
	struct cgroup *cg = (void *)ctx[0];
	struct cg_ctx *c = bpf_cgrp_storage_get(&cgstore, cg, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	u64 old;

	if (!c)
		return -1;
	old = c->weight;
	c->weight = ctx[1];
	return old;
}

/* Writing through a pointer into .rodata faults (BPF_F_RDONLY_PROG). */
SEC("syscall")
long poke_rodata(u64 *ctx)
{
	volatile u64 *p = (volatile u64 *)&limit;

	*p = ctx[0]; /* MARK:rodata */
	return *p;
}

SEC("syscall")
long read_limit(u64 *ctx)
{
	return limit;
}

/* bpf_task_from_pid(ctx[0]): 1 if found (and released), 0 if not. */
SEC("syscall")
int find_task(u64 *ctx)
{
	struct task_struct *p = bpf_task_from_pid(ctx[0]);

	if (!p)
		return 0;
	bpf_task_release(p);
	return 1;
}

struct sum_ctx {
	u64 keys;
	u64 vals;
	u64 stop_at;
};

static long sum_elem(void *map, u32 *key, u64 *val, struct sum_ctx *c)
{
	c->keys += *key;
	c->vals += *val;
	return *key == c->stop_at;
}

/* Sum keys*1000 + values of in0 via bpf_for_each_map_elem, stopping after key ctx[0]; out = visited. */
long visited;

SEC("syscall")
long sum_in0(u64 *ctx)
{
	struct sum_ctx c = { 0, 0, ctx[0] };

	visited = bpf_for_each_map_elem(&in0, sum_elem, &c, 0);
	return c.keys * 1000 + c.vals;
}

SEC("syscall")
int in0_put(u64 *ctx)
{
	u32 k = ctx[0];
	u64 v = ctx[1];

	return bpf_map_update_elem(&in0, &k, &v, BPF_ANY);
}

/* pid of the current task via bpf_get_current_pid_tgid (low half). */
SEC("syscall")
long current_pid(u64 *ctx)
{
	return (u32)bpf_get_current_pid_tgid();
}

/* bpf_cgroup_from_id(ctx[0]): 1 if found; released unless ctx[1] asks to keep (leak) it. */
SEC("syscall")
int find_cgroup(u64 *ctx)
{
	struct cgroup *cg = bpf_cgroup_from_id(ctx[0]); /* MARK:cgroup_acquire */

	if (!cg)
		return 0;
	if (!ctx[1])
		bpf_cgroup_release(cg);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";

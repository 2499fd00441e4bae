/* SPDX-License-Identifier: MIT */
/*
 * Runtime test: stashing local kptrs in map values with bpf_kptr_xchg, what
 * a map update/delete does to the stashed object, and bpf_obj_drop of an
 * object that holds a graph root (kernel/bpf/helpers.c, bpf_obj_free_fields).
 */
#include <scx/common.bpf.h>

struct leaf {
	long v;
};

struct stash_val {
	long tag;
	struct leaf __kptr *p;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, u32);
	__type(value, struct stash_val);
} stash_arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, u32);
	__type(value, struct stash_val);
} stash_hash SEC(".maps");

struct item {
	long key;
	struct bpf_rb_node node;
};

struct bag {
	struct bpf_spin_lock lock;
	struct bpf_rb_root root __contains(item, node);
	long n;
};

static bool item_less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	return container_of(a, struct item, node)->key < container_of(b, struct item, node)->key;
}

/* stash(v): put a new leaf with value v in stash_arr[0]; drops what was there. */
SEC("syscall")
int stash(u64 *ctx)
{
	u32 k = 0;
	struct stash_val *val = bpf_map_lookup_elem(&stash_arr, &k);
	struct leaf *n, *old;

	if (!val)
		return -1;
	n = bpf_obj_new(struct leaf);
	if (!n)
		return -2;
	n->v = ctx[0];
	old = bpf_kptr_xchg(&val->p, n);
	if (old) {
		bpf_obj_drop(old);
		return 1;
	}
	return 0;
}

/* unstash(): take the leaf out of stash_arr[0], return its value and drop it. */
SEC("syscall")
int unstash(u64 *ctx)
{
	u32 k = 0;
	struct stash_val *val = bpf_map_lookup_elem(&stash_arr, &k);
	struct leaf *n;
	long v;

	if (!val)
		return -1;
	n = bpf_kptr_xchg(&val->p, NULL);
	if (!n)
		return -2;
	v = n->v;
	bpf_obj_drop(n);
	return v;
}

/* Overwrite stash_arr[0] with a zeroed value: the kernel frees the stashed leaf. */
SEC("syscall")
int overwrite(u64 *ctx)
{
	u32 k = 0;
	struct stash_val zero = { .tag = 99 };

	return bpf_map_update_elem(&stash_arr, &k, &zero, BPF_ANY);
}

/* hash_stash(key, v): insert key into stash_hash and stash a leaf in it. */
SEC("syscall")
int hash_stash(u64 *ctx)
{
	u32 k = ctx[0];
	struct stash_val init = {}, *val;
	struct leaf *n, *old;
	long err;

	err = bpf_map_update_elem(&stash_hash, &k, &init, BPF_NOEXIST);
	if (err)
		return err;
	val = bpf_map_lookup_elem(&stash_hash, &k);
	if (!val)
		return -100;
	n = bpf_obj_new(struct leaf);
	if (!n)
		return -101;
	n->v = ctx[1];
	old = bpf_kptr_xchg(&val->p, n);
	if (old)
		bpf_obj_drop(old);
	return 0;
}

SEC("syscall")
int hash_delete(u64 *ctx)
{
	u32 k = ctx[0];

	return bpf_map_delete_elem(&stash_hash, &k);
}

/* A bag holding a tree of ctx[0] items, dropped as a whole. */
SEC("syscall")
int drop_bag(u64 *ctx)
{
	struct bag *b = bpf_obj_new(struct bag);
	int i, n = ctx[0];

	if (!b)
		return -1;
	bpf_for(i, 0, n) {
		struct item *it = bpf_obj_new(struct item);

		if (!it)
			break;
		it->key = n - i;
		bpf_spin_lock(&b->lock);
		bpf_rbtree_add(&b->root, &it->node, item_less);
		bpf_spin_unlock(&b->lock);
	}
	b->n = n;
	bpf_obj_drop(b);
	return 0;
}

/* The same bag stashed in a map instead (it stays, with its tree, until unload). */
struct bag_val {
	struct bag __kptr *bag;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct bag_val);
} bags SEC(".maps");

SEC("syscall")
int stash_bag(u64 *ctx)
{
	u32 k = 0;
	struct bag_val *val = bpf_map_lookup_elem(&bags, &k);
	struct bag *b, *old;
	int i;

	if (!val)
		return -1;
	b = bpf_obj_new(struct bag);
	if (!b)
		return -2;
	bpf_for(i, 0, 3) {
		struct item *it = bpf_obj_new(struct item);

		if (!it)
			break;
		it->key = i;
		bpf_spin_lock(&b->lock);
		bpf_rbtree_add(&b->root, &it->node, item_less);
		bpf_spin_unlock(&b->lock);
	}
	old = bpf_kptr_xchg(&val->bag, b);
	if (old)
		bpf_obj_drop(old);
	return 0;
}

/* A local object holding a kptr to another (local_kptr_stash style). */
struct nest {
	long a;
	struct leaf __kptr *inner;
};

struct nest_val {
	struct nest __kptr *outer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct nest_val);
} nests SEC(".maps");

/* Build outer{inner}; keep it in nests[0] when ctx[0], else drop it. */
SEC("syscall")
int nest(u64 *ctx)
{
	u32 k = 0;
	struct nest_val *v = bpf_map_lookup_elem(&nests, &k);
	struct nest *outer;
	struct leaf *in, *old;

	if (!v)
		return -1;
	outer = bpf_obj_new(struct nest);
	if (!outer)
		return -2;
	in = bpf_obj_new(struct leaf);
	if (!in) {
		bpf_obj_drop(outer);
		return -3;
	}
	in->v = 11;
	old = bpf_kptr_xchg(&outer->inner, in);
	if (old)
		bpf_obj_drop(old);
	if (!ctx[0]) {
		bpf_obj_drop(outer);
		return 0;
	}
	outer = bpf_kptr_xchg(&v->outer, outer);
	if (outer)
		bpf_obj_drop(outer);
	return 0;
}

/* A map value that holds a tree: overwriting or deleting the value frees the nodes. */
struct tree_val {
	struct bpf_spin_lock lock;
	struct bpf_rb_root root __contains(item, node);
	long gen;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, struct tree_val);
} trees SEC(".maps");

/* tree_fill(key, n): create trees[key] if needed and add n items to its tree. */
SEC("syscall")
int tree_fill(u64 *ctx)
{
	u32 k = ctx[0];
	struct tree_val init = {}, *v;
	int i, n = ctx[1];

	bpf_map_update_elem(&trees, &k, &init, BPF_NOEXIST);
	v = bpf_map_lookup_elem(&trees, &k);
	if (!v)
		return -1;
	bpf_for(i, 0, n) {
		struct item *it = bpf_obj_new(struct item);

		if (!it)
			return -2;
		it->key = i;
		bpf_spin_lock(&v->lock);
		bpf_rbtree_add(&v->root, &it->node, item_less);
		bpf_spin_unlock(&v->lock);
	}
	return 0;
}

/* tree_replace(key): overwrite trees[key] with a fresh value (gen = 1). */
SEC("syscall")
int tree_replace(u64 *ctx)
{
	u32 k = ctx[0];
	struct tree_val fresh = { .gen = 1 };

	return bpf_map_update_elem(&trees, &k, &fresh, BPF_EXIST);
}

SEC("syscall")
int tree_delete(u64 *ctx)
{
	u32 k = ctx[0];

	return bpf_map_delete_elem(&trees, &k);
}

char LICENSE[] SEC("license") = "GPL";

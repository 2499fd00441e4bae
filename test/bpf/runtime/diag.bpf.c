/* SPDX-License-Identifier: MIT */
/*
 * Runtime test: programs with the ownership bugs the kernel verifier
 * rejects, each marked with the line the diagnostic must name, plus the
 * correct version of each pattern (no diagnostic).
 */
#include <scx/common.bpf.h>

struct node {
	long key;
	struct bpf_refcount ref;
	struct bpf_rb_node rb;
};

private(T) struct bpf_spin_lock lock;
private(T) struct bpf_rb_root root __contains(node, rb);

struct slot_val {
	struct node __kptr *n;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct slot_val);
} slots SEC(".maps");

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	return container_of(a, struct node, rb)->key < container_of(b, struct node, rb)->key;
}

SEC("syscall")
int leak(u64 *ctx)
{
	struct node *n = bpf_obj_new(struct node); /* MARK:leak */

	if (!n)
		return -1;
	n->key = 1;
	return 0;
}

SEC("syscall")
int use_after_free(u64 *ctx)
{
	struct node *n = bpf_obj_new(struct node);

	if (!n)
		return -1;
	n->key = 1;
	bpf_obj_drop(n);
	return n->key; /* MARK:uaf */
}

SEC("syscall")
int remove_after_unlock(u64 *ctx)
{
	struct node *n = bpf_obj_new(struct node);
	struct bpf_rb_node *r;

	if (!n)
		return -1;
	n->key = 2;
	bpf_spin_lock(&lock);
	bpf_rbtree_add(&root, &n->rb, less);
	bpf_spin_unlock(&lock);
	bpf_spin_lock(&lock);
	r = bpf_rbtree_remove(&root, &n->rb); /* MARK:after_unlock */
	bpf_spin_unlock(&lock);
	if (r)
		bpf_obj_drop(container_of(r, struct node, rb));
	return 0;
}

SEC("syscall")
long read_after_unlock(u64 *ctx)
{
	struct node *n = bpf_obj_new(struct node);

	if (!n)
		return -1;
	n->key = 4;
	bpf_spin_lock(&lock);
	bpf_rbtree_add(&root, &n->rb, less);
	n->key = 5; /* allowed: a non-owning reference while the lock is held */
	bpf_spin_unlock(&lock); /* MARK:unlock_before_read */
	return n->key; /* MARK:read_after_unlock */
}

/* Two adds under separate lock sections: less() reads the first node after its reference ended. */
SEC("syscall")
int add_two(u64 *ctx)
{
	struct node *a = bpf_obj_new(struct node), *b;

	if (!a)
		return -1;
	a->key = ctx[0];
	bpf_spin_lock(&lock);
	bpf_rbtree_add(&root, &a->rb, less);
	bpf_spin_unlock(&lock);
	b = bpf_obj_new(struct node);
	if (!b)
		return -2;
	b->key = ctx[1];
	bpf_spin_lock(&lock);
	bpf_rbtree_add(&root, &b->rb, less);
	bpf_spin_unlock(&lock);
	return 0;
}

/* The tree keeps working after such a run: first() hands the node out again. */
SEC("syscall")
long first_key(u64 *ctx)
{
	struct bpf_rb_node *r;
	long key = -1;

	bpf_spin_lock(&lock);
	r = bpf_rbtree_first(&root);
	if (r)
		key = container_of(r, struct node, rb)->key;
	bpf_spin_unlock(&lock);
	return key;
}

SEC("syscall")
int drop_after_add(u64 *ctx)
{
	struct node *n = bpf_obj_new(struct node);

	if (!n)
		return -1;
	bpf_spin_lock(&lock);
	bpf_rbtree_add(&root, &n->rb, less);
	bpf_obj_drop(n); /* MARK:after_add */
	bpf_spin_unlock(&lock);
	return 0;
}

SEC("syscall")
int add_without_lock(u64 *ctx)
{
	struct node *n = bpf_obj_new(struct node);

	if (!n)
		return -1;
	bpf_rbtree_add(&root, &n->rb, less); /* MARK:nolock */
	return 0;
}

SEC("syscall")
int double_add(u64 *ctx)
{
	struct node *n = bpf_obj_new(struct node), *m;
	int ret;

	if (!n)
		return -1;
	m = bpf_refcount_acquire(n);
	if (!m) {
		bpf_obj_drop(n);
		return -2;
	}
	bpf_spin_lock(&lock);
	bpf_rbtree_add(&root, &n->rb, less);
	ret = bpf_rbtree_add(&root, &m->rb, less); /* MARK:double */
	bpf_spin_unlock(&lock);
	return ret;
}

SEC("syscall")
int task_leak(u64 *ctx)
{
	struct task_struct *p = (void *)ctx[0];
	struct task_struct *t = bpf_task_acquire(p); /* MARK:task_leak */

	return t ? 0 : -1;
}

/* Stash a node the tree owns, through the non-owning reference bpf_rbtree_first gave. */
SEC("syscall")
int stash_nonowning(u64 *ctx)
{
	u32 k = 0;
	struct slot_val *v = bpf_map_lookup_elem(&slots, &k);
	struct bpf_rb_node *r;
	struct node *old;

	if (!v)
		return -1;
	bpf_spin_lock(&lock);
	r = bpf_rbtree_first(&root);
	if (!r) {
		bpf_spin_unlock(&lock);
		return -2;
	}
	old = bpf_kptr_xchg(&v->n, container_of(r, struct node, rb)); /* MARK:stash_nonowning */
	bpf_spin_unlock(&lock);
	if (old)
		bpf_obj_drop(old);
	return 0;
}

/* The correct versions: none of these may produce a diagnostic. */

SEC("syscall")
int good_remove(u64 *ctx)
{
	struct node *n = bpf_obj_new(struct node), *m;
	struct bpf_rb_node *r;

	if (!n)
		return -1;
	n->key = 3;
	m = bpf_refcount_acquire(n);
	bpf_spin_lock(&lock);
	bpf_rbtree_add(&root, &n->rb, less);
	bpf_spin_unlock(&lock);
	if (!m)
		return -2;
	bpf_spin_lock(&lock);
	r = bpf_rbtree_remove(&root, &m->rb);
	bpf_spin_unlock(&lock);
	bpf_obj_drop(m);
	if (r)
		bpf_obj_drop(container_of(r, struct node, rb));
	return 0;
}

SEC("syscall")
int good_task(u64 *ctx)
{
	struct task_struct *p = (void *)ctx[0];
	struct task_struct *t = bpf_task_acquire(p);

	if (!t)
		return -1;
	bpf_task_release(t);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

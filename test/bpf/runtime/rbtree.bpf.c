/* SPDX-License-Identifier: MIT */
/*
 * Runtime test: bpf_rbtree_add/first/remove semantics (kernel/bpf/helpers.c).
 * Each program is a syscall program; ctx[] carries its arguments.
 */
#include <scx/common.bpf.h>

struct node_data {
	long key;
	long seq;
	struct bpf_rb_node node;
};

struct rnode {
	long key;
	struct bpf_refcount ref;
	struct bpf_rb_node rb;
	struct bpf_list_node ln;
};

private(A) struct bpf_spin_lock alock;
private(A) struct bpf_rb_root aroot __contains(node_data, node);

private(B) struct bpf_spin_lock block;
private(B) struct bpf_rb_root broot __contains(rnode, rb);
private(B) struct bpf_list_head blist __contains(rnode, ln);

private(C) struct bpf_spin_lock clock_;
private(C) struct bpf_rb_root croot __contains(rnode, rb);

/* (new key, existing key) for every call of less(), and how many. */
long less_args[64];
int nr_less;
long out[4];

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	struct node_data *na = container_of(a, struct node_data, node);
	struct node_data *nb = container_of(b, struct node_data, node);
	int i = nr_less;

	if (i >= 0 && i < 32) {
		less_args[2 * i] = na->key;
		less_args[2 * i + 1] = nb->key;
		nr_less = i + 1;
	}
	return na->key < nb->key;
}

static bool rless(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	struct rnode *na = container_of(a, struct rnode, rb);
	struct rnode *nb = container_of(b, struct rnode, rb);

	return na->key < nb->key;
}

/* add(key, seq) */
SEC("syscall")
int add(u64 *ctx)
{
	struct node_data *n = bpf_obj_new(struct node_data);

	if (!n)
		return -1;
	n->key = ctx[0];
	n->seq = ctx[1];
	bpf_spin_lock(&alock);
	bpf_rbtree_add(&aroot, &n->node, less);
	bpf_spin_unlock(&alock);
	return 0;
}

/* Remove the leftmost node; returns its key and puts its seq in out[0]. */
SEC("syscall")
int pop_first(u64 *ctx)
{
	struct bpf_rb_node *r;
	struct node_data *n;
	long key;

	bpf_spin_lock(&alock);
	r = bpf_rbtree_first(&aroot);
	if (!r) {
		bpf_spin_unlock(&alock);
		return -1;
	}
	r = bpf_rbtree_remove(&aroot, r);
	bpf_spin_unlock(&alock);
	if (!r)
		return -2;
	n = container_of(r, struct node_data, node);
	key = n->key;
	out[0] = n->seq;
	bpf_obj_drop(n);
	return key;
}

/*
 * A node in broot is passed to bpf_rbtree_remove on croot: the kernel
 * returns NULL (owner != root). Returns 1 when remove said NULL.
 */
SEC("syscall")
int remove_wrong_root(u64 *ctx)
{
	struct rnode *n = bpf_obj_new(struct rnode), *m;
	struct bpf_rb_node *r;

	if (!n)
		return -1;
	n->key = 7;
	m = bpf_refcount_acquire(n);
	bpf_spin_lock(&block);
	bpf_rbtree_add(&broot, &n->rb, rless);
	bpf_spin_unlock(&block);
	if (!m)
		return -2;
	bpf_spin_lock(&clock_);
	r = bpf_rbtree_remove(&croot, &m->rb);
	bpf_spin_unlock(&clock_);
	bpf_obj_drop(m);
	if (r) {
		bpf_obj_drop(container_of(r, struct rnode, rb));
		return 0;
	}
	return 1;
}

/* One refcounted object in a tree and a list at once (refcount 2). */
SEC("syscall")
int tree_and_list(u64 *ctx)
{
	struct rnode *n = bpf_obj_new(struct rnode), *m;

	if (!n)
		return -1;
	n->key = ctx[0];
	m = bpf_refcount_acquire(n);
	if (!m) {
		bpf_obj_drop(n);
		return -2;
	}
	bpf_spin_lock(&block);
	bpf_rbtree_add(&broot, &n->rb, rless);
	bpf_list_push_back(&blist, &m->ln);
	bpf_spin_unlock(&block);
	return 0;
}

/* Take the tree's leftmost node out and drop it; the list still holds it. */
SEC("syscall")
int tree_pop(u64 *ctx)
{
	struct bpf_rb_node *r;

	bpf_spin_lock(&block);
	r = bpf_rbtree_first(&broot);
	if (r)
		r = bpf_rbtree_remove(&broot, r);
	bpf_spin_unlock(&block);
	if (!r)
		return -1;
	bpf_obj_drop(container_of(r, struct rnode, rb));
	return 0;
}

/* Pop the list's head and drop it: the object is freed when the tree no longer has it. */
SEC("syscall")
int list_pop(u64 *ctx)
{
	struct bpf_list_node *l;
	long key;

	bpf_spin_lock(&block);
	l = bpf_list_pop_front(&blist);
	bpf_spin_unlock(&block);
	if (!l)
		return -1;
	key = container_of(l, struct rnode, ln)->key;
	bpf_obj_drop(container_of(l, struct rnode, ln));
	return key;
}

char LICENSE[] SEC("license") = "GPL";

/* SPDX-License-Identifier: MIT */
/*
 * Verifier agreement: for each ownership rule, a program the kernel's
 * verifier rejects (…_bad, MARK: the line the verifier names) and its
 * accepted twin (…_good). test/kernel/verifier_agreement.test.ts loads each
 * into the kernel alone and runs it in scxray's runtime: the kernel must
 * reject exactly the bad ones, at the marked line, and the runtime must
 * report the matching diagnostic at that line for the bad ones and nothing
 * for the good ones.
 */
#include <scx/common.bpf.h>

struct vnode {
	long key;
	struct bpf_rb_node rb;
};

private(V) struct bpf_spin_lock vlock;
private(V) struct bpf_rb_root vroot __contains(vnode, rb);

static bool vless(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	return container_of(a, struct vnode, rb)->key < container_of(b, struct vnode, rb)->key;
}

/* Leak: the verifier's "Unreleased reference … alloc_insn" names the allocation. */
SEC("syscall")
int leak_bad(u64 *ctx)
{
	struct vnode *n = bpf_obj_new(struct vnode); /* MARK:leak_bad */

	if (!n)
		return 0;
	n->key = 1;
	return 0;
}

SEC("syscall")
int leak_good(u64 *ctx)
{
	struct vnode *n = bpf_obj_new(struct vnode);

	if (!n)
		return 0;
	n->key = 1;
	bpf_obj_drop(n);
	return 0;
}

/* A non-owning reference used after bpf_spin_unlock. */
SEC("syscall")
long use_after_unlock_bad(u64 *ctx)
{
	struct vnode *n = bpf_obj_new(struct vnode);

	if (!n)
		return 0;
	n->key = 2;
	bpf_spin_lock(&vlock);
	bpf_rbtree_add(&vroot, &n->rb, vless);
	bpf_spin_unlock(&vlock);
	return n->key; /* MARK:use_after_unlock_bad */
}

SEC("syscall")
long use_after_unlock_good(u64 *ctx)
{
	struct vnode *n = bpf_obj_new(struct vnode);
	long key;

	if (!n)
		return 0;
	n->key = 2;
	bpf_spin_lock(&vlock);
	bpf_rbtree_add(&vroot, &n->rb, vless);
	key = n->key;
	bpf_spin_unlock(&vlock);
	return key;
}

/* bpf_obj_drop while holding the lock: only the graph kfuncs may be called there. */
SEC("syscall")
int drop_locked_bad(u64 *ctx)
{
	struct vnode *n = bpf_obj_new(struct vnode);

	if (!n)
		return 0;
	bpf_spin_lock(&vlock);
	bpf_obj_drop(n); /* MARK:drop_locked_bad */
	bpf_spin_unlock(&vlock);
	return 0;
}

SEC("syscall")
int drop_locked_good(u64 *ctx)
{
	struct vnode *n = bpf_obj_new(struct vnode);

	if (!n)
		return 0;
	bpf_spin_lock(&vlock);
	bpf_spin_unlock(&vlock);
	bpf_obj_drop(n);
	return 0;
}

/* bpf_rbtree_add without the root's lock. */
SEC("syscall")
int add_unlocked_bad(u64 *ctx)
{
	struct vnode *n = bpf_obj_new(struct vnode);

	if (!n)
		return 0;
	bpf_rbtree_add(&vroot, &n->rb, vless); /* MARK:add_unlocked_bad */
	return 0;
}

SEC("syscall")
int add_unlocked_good(u64 *ctx)
{
	struct vnode *n = bpf_obj_new(struct vnode);

	if (!n)
		return 0;
	bpf_spin_lock(&vlock);
	bpf_rbtree_add(&vroot, &n->rb, vless);
	bpf_spin_unlock(&vlock);
	return 0;
}

/* Use after bpf_obj_drop. */
SEC("syscall")
long use_after_drop_bad(u64 *ctx)
{
	struct vnode *n = bpf_obj_new(struct vnode);

	if (!n)
		return 0;
	n->key = 3;
	bpf_obj_drop(n);
	return n->key; /* MARK:use_after_drop_bad */
}

SEC("syscall")
long use_after_drop_good(u64 *ctx)
{
	struct vnode *n = bpf_obj_new(struct vnode);
	long key;

	if (!n)
		return 0;
	n->key = 3;
	key = n->key;
	bpf_obj_drop(n);
	return key;
}

char LICENSE[] SEC("license") = "GPL";

/* SPDX-License-Identifier: MIT */
/*
 * leak (deliberately broken): loses an owning reference to a local object.
 *
 * Demonstrates the ownership diagnostics. ops.enqueue() allocates a node with
 * bpf_obj_new() for every task and adds it to an rbtree, except that when the
 * task's pid is even it returns without adding or dropping it. The kernel
 * verifier rejects this program ("Unreleased reference"); scxray runs it
 * anyway and reports the leak at the return, with the source line, as the
 * kernel verifier would reject it. It also counts nodes in the tree through
 * a non-owning reference after bpf_spin_unlock(), the other classic mistake.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

struct node {
	struct bpf_rb_node rb;
	u64 key;
};

private(tree) struct bpf_spin_lock tree_lock;
private(tree) struct bpf_rb_root tree __contains(node, rb);

u64 last_key;

static bool node_less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	return container_of(a, struct node, rb)->key < container_of(b, struct node, rb)->key;
}

void BPF_STRUCT_OPS(leak_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct node *n;

	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);

	n = bpf_obj_new(struct node);
	if (!n)
		return;
	n->key = p->pid;
	if (p->pid % 2 == 0)
		return; /* BUG: n is still owned here and never dropped */

	bpf_spin_lock(&tree_lock);
	bpf_rbtree_add(&tree, &n->rb, node_less);
	bpf_spin_unlock(&tree_lock);
	last_key = n->key; /* BUG: n is non-owning after the unlock */
}

SEC(".struct_ops.link")
struct sched_ext_ops leak_ops = {
	.enqueue = (void *)leak_enqueue,
	.name = "leak",
};

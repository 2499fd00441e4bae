/* SPDX-License-Identifier: MIT */
/* Runtime test: bpf_list_push_{front,back}, pop_{front,back}, front/back. */
#include <scx/common.bpf.h>

struct elem {
	long v;
	struct bpf_list_node node;
};

private(L) struct bpf_spin_lock lock;
private(L) struct bpf_list_head head __contains(elem, node);

/* push(v, back): push a new element at the back (back != 0) or the front. */
SEC("syscall")
int push(u64 *ctx)
{
	struct elem *e = bpf_obj_new(struct elem);
	int ret;

	if (!e)
		return -100;
	e->v = ctx[0];
	bpf_spin_lock(&lock);
	if (ctx[1])
		ret = bpf_list_push_back(&head, &e->node);
	else
		ret = bpf_list_push_front(&head, &e->node);
	bpf_spin_unlock(&lock);
	return ret;
}

/* pop(back): pop an element, return its value (-1 when empty). */
SEC("syscall")
int pop(u64 *ctx)
{
	struct bpf_list_node *n;
	struct elem *e;
	long v;

	bpf_spin_lock(&lock);
	n = ctx[0] ? bpf_list_pop_back(&head) : bpf_list_pop_front(&head);
	bpf_spin_unlock(&lock);
	if (!n)
		return -1;
	e = container_of(n, struct elem, node);
	v = e->v;
	bpf_obj_drop(e);
	return v;
}

/* peek(back): value at the front/back without removing it. */
SEC("syscall")
int peek(u64 *ctx)
{
	struct bpf_list_node *n;
	long v = -1;

	bpf_spin_lock(&lock);
	n = ctx[0] ? bpf_list_back(&head) : bpf_list_front(&head);
	if (n)
		v = container_of(n, struct elem, node)->v;
	bpf_spin_unlock(&lock);
	return v;
}

char LICENSE[] SEC("license") = "GPL";

/* SPDX-License-Identifier: MIT */
/*
 * cgweight: CPU shared between cgroups by cpu.weight, tasks within a cgroup
 * by task weight.
 *
 * Demonstrates the cgroup ops and the "rbtree of stashed nodes" pattern of
 * the flattened-cgroup upstream example, reduced to its core:
 *   - ops.cgroup_init() (sleepable) creates one vtime-ordered user DSQ per
 *     cgroup, whose id is the cgroup id (cgrp->kn->id), and a per-cgroup
 *     context in a hash map keyed by that id. The context stashes the
 *     cgroup's rbtree node, a `struct cgv_node` from bpf_obj_new(), in a
 *     `__kptr` field.
 *   - a cgroup with queued tasks is "active": its node sits in a global
 *     bpf_rb_root ordered by the cgroup's vtime. ops.enqueue() activates a
 *     cgroup by taking its node out of the stash (bpf_kptr_xchg) and adding it.
 *   - ops.dispatch() pops the cgroup with the lowest vtime, moves its first
 *     task to the local DSQ (scx_bpf_dsq_move_to_local), stashes the node back
 *     and re-activates the cgroup if it still has tasks.
 *   - ops.stopping() charges the slice used to the task (scaled by its
 *     weight) and to its cgroup (scaled by the cgroup's cpu.weight, kept up to
 *     date by ops.cgroup_set_weight()).
 *
 * Unlike upstream's example, weights are flat: each cgroup competes with its
 * own cpu.weight, not compounded through its ancestors.
 *
 * The `queued` flag is the token for owning the node outside the stash: only
 * whoever flips it 0 -> 1 may take the node, and the dispatcher stashes the
 * node back before clearing it, so the taker always finds it.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define MAX_CGROUPS 1024

/* A cgroup's place in the global vtime order. */
struct cgv_node {
	struct bpf_rb_node rb;
	u64 cvtime;
	u64 cgid;
};

struct cgrp_ctx {
	u64 cvtime;		/* the cgroup's virtual time */
	u64 tvtime_now;		/* "now" of its tasks' virtual time */
	u32 weight;		/* cpu.weight, 1..10000, 100 by default */
	u32 queued;		/* 1 while the node is in the tree or being handled */
	u64 nr_dispatched;
	struct cgv_node __kptr *node;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_CGROUPS);
	__type(key, u64);
	__type(value, struct cgrp_ctx);
} cgrp_ctxs SEC(".maps");

private(cgv_tree) struct bpf_spin_lock cgv_tree_lock;
private(cgv_tree) struct bpf_rb_root cgv_tree __contains(cgv_node, rb);

/* The cvtime of the cgroup dispatched last: the "now" of cgroup virtual time. */
u64 cvtime_now;
u64 nr_no_cgroup, nr_missing_node;

const volatile u64 slice_ns = 20000000;

static bool cgv_less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	struct cgv_node *na = container_of(a, struct cgv_node, rb);
	struct cgv_node *nb = container_of(b, struct cgv_node, rb);

	return na->cvtime < nb->cvtime;
}

/* The id of p's cgroup, which is also the id of its DSQ. */
static __always_inline u64 task_cgid(struct task_struct *p)
{
	struct cgroup *cgrp;
	u64 cgid;

	cgrp = scx_bpf_task_cgroup(p);
	if (!cgrp)
		return 0;
	cgid = cgrp->kn->id;
	bpf_cgroup_release(cgrp);
	return cgid;
}

/*
 * Put an active cgroup into the tree. The caller won the queued token, so the
 * node must be in the stash.
 */
static __always_inline void cgrp_activate(struct cgrp_ctx *cgc)
{
	struct cgv_node *node;

	node = bpf_kptr_xchg(&cgc->node, NULL);
	if (!node) {
		__sync_fetch_and_add(&nr_missing_node, 1);
		WRITE_ONCE(cgc->queued, 0);
		return;
	}
	/* An idle cgroup keeps at most one slice of credit. */
	if (time_before(cgc->cvtime, cvtime_now - slice_ns))
		cgc->cvtime = cvtime_now - slice_ns;
	node->cvtime = cgc->cvtime;

	bpf_spin_lock(&cgv_tree_lock);
	bpf_rbtree_add(&cgv_tree, &node->rb, cgv_less);
	bpf_spin_unlock(&cgv_tree_lock);
}

s32 BPF_STRUCT_OPS(cgweight_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;

	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
}

void BPF_STRUCT_OPS(cgweight_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct cgrp_ctx *cgc;
	u64 cgid = task_cgid(p);
	u64 vtime;

	cgc = bpf_map_lookup_elem(&cgrp_ctxs, &cgid);
	if (!cgc) {
		/* Not a cgroup we were told about: keep the task running anyway. */
		__sync_fetch_and_add(&nr_no_cgroup, 1);
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice_ns, enq_flags);
		return;
	}

	vtime = p->scx.dsq_vtime;
	if (time_before(vtime, cgc->tvtime_now - slice_ns))
		vtime = cgc->tvtime_now - slice_ns;
	scx_bpf_dsq_insert_vtime(p, cgid, slice_ns, vtime, enq_flags);

	if (__sync_bool_compare_and_swap(&cgc->queued, 0, 1))
		cgrp_activate(cgc);
}

/* Pop the lowest-cvtime cgroup node; NULL when no cgroup is active. */
static __always_inline struct cgv_node *pop_first_cgroup(void)
{
	struct bpf_rb_node *rb;

	bpf_spin_lock(&cgv_tree_lock);
	rb = bpf_rbtree_first(&cgv_tree);
	if (!rb) {
		bpf_spin_unlock(&cgv_tree_lock);
		return NULL;
	}
	rb = bpf_rbtree_remove(&cgv_tree, rb);
	bpf_spin_unlock(&cgv_tree_lock);
	if (!rb)
		return NULL;
	return container_of(rb, struct cgv_node, rb);
}

void BPF_STRUCT_OPS(cgweight_dispatch, s32 cpu, struct task_struct *prev)
{
	struct cgv_node *node, *old;
	struct cgrp_ctx *cgc;
	bool moved;
	u64 cgid;
	int i;

	/* Tasks on the global DSQ (cgroups we do not know) are consumed by the kernel first. */
	bpf_for(i, 0, 8) {
		node = pop_first_cgroup();
		if (!node)
			return;
		cgid = node->cgid;
		cgc = bpf_map_lookup_elem(&cgrp_ctxs, &cgid);
		if (!cgc) {
			/* The cgroup went away while active. */
			bpf_obj_drop(node);
			continue;
		}
		if (time_before(cvtime_now, node->cvtime))
			cvtime_now = node->cvtime;

		moved = scx_bpf_dsq_move_to_local(cgid);
		if (moved)
			cgc->nr_dispatched++;

		/* Stash first, then give up the token: an enqueuer that wins it finds the node. */
		old = bpf_kptr_xchg(&cgc->node, node);
		if (old)
			bpf_obj_drop(old);
		WRITE_ONCE(cgc->queued, 0);
		if (scx_bpf_dsq_nr_queued(cgid) > 0 && __sync_bool_compare_and_swap(&cgc->queued, 0, 1))
			cgrp_activate(cgc);

		if (moved)
			return;
	}
}

void BPF_STRUCT_OPS(cgweight_running, struct task_struct *p)
{
	struct cgrp_ctx *cgc;
	u64 cgid = task_cgid(p);

	cgc = bpf_map_lookup_elem(&cgrp_ctxs, &cgid);
	if (cgc && time_before(cgc->tvtime_now, p->scx.dsq_vtime))
		cgc->tvtime_now = p->scx.dsq_vtime;
}

void BPF_STRUCT_OPS(cgweight_stopping, struct task_struct *p, bool runnable)
{
	struct cgrp_ctx *cgc;
	u64 cgid = task_cgid(p);
	/*
	 * The slice counts down from slice_ns; the kernel may refill it with
	 * SCX_SLICE_DFL when it keeps a task running, so never go below zero.
	 */
	u64 used = p->scx.slice < slice_ns ? slice_ns - p->scx.slice : 0;

	p->scx.dsq_vtime += used * 100 / p->scx.weight;

	cgc = bpf_map_lookup_elem(&cgrp_ctxs, &cgid);
	if (cgc && cgc->weight)
		__sync_fetch_and_add(&cgc->cvtime, used * 100 / cgc->weight);
}

void BPF_STRUCT_OPS(cgweight_cgroup_move, struct task_struct *p, struct cgroup *from, struct cgroup *to)
{
	struct cgrp_ctx *cgc;
	u64 cgid = to->kn->id;

	/* Task vtimes are per cgroup: start at the new cgroup's "now". */
	cgc = bpf_map_lookup_elem(&cgrp_ctxs, &cgid);
	if (cgc)
		p->scx.dsq_vtime = cgc->tvtime_now;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(cgweight_cgroup_init, struct cgroup *cgrp, struct scx_cgroup_init_args *args)
{
	struct cgrp_ctx init = { .weight = args->weight }, *cgc;
	struct cgv_node *node, *old;
	u64 cgid = cgrp->kn->id;
	s32 ret;

	ret = scx_bpf_create_dsq(cgid, -1);
	if (ret)
		return ret;

	if (bpf_map_update_elem(&cgrp_ctxs, &cgid, &init, BPF_NOEXIST))
		goto err_destroy;
	cgc = bpf_map_lookup_elem(&cgrp_ctxs, &cgid);
	if (!cgc)
		goto err_destroy;
	cgc->cvtime = cvtime_now;

	node = bpf_obj_new(struct cgv_node);
	if (!node) {
		bpf_map_delete_elem(&cgrp_ctxs, &cgid);
		goto err_destroy;
	}
	node->cgid = cgid;
	old = bpf_kptr_xchg(&cgc->node, node);
	if (old)
		bpf_obj_drop(old);
	return 0;

err_destroy:
	scx_bpf_destroy_dsq(cgid);
	return -ENOMEM;
}

void BPF_STRUCT_OPS(cgweight_cgroup_exit, struct cgroup *cgrp)
{
	u64 cgid = cgrp->kn->id;

	scx_bpf_destroy_dsq(cgid);
	/* Deleting the element frees the node stashed in it. */
	bpf_map_delete_elem(&cgrp_ctxs, &cgid);
}

void BPF_STRUCT_OPS(cgweight_cgroup_set_weight, struct cgroup *cgrp, u32 weight)
{
	struct cgrp_ctx *cgc;
	u64 cgid = cgrp->kn->id;

	cgc = bpf_map_lookup_elem(&cgrp_ctxs, &cgid);
	if (cgc)
		cgc->weight = weight;
}

void BPF_STRUCT_OPS(cgweight_exit, struct scx_exit_info *ei)
{
	bpf_printk("cgweight exits: kind %d", ei->kind);
}

SEC(".struct_ops.link")
struct sched_ext_ops cgweight_ops = {
	.select_cpu = (void *)cgweight_select_cpu,
	.enqueue = (void *)cgweight_enqueue,
	.dispatch = (void *)cgweight_dispatch,
	.running = (void *)cgweight_running,
	.stopping = (void *)cgweight_stopping,
	.cgroup_init = (void *)cgweight_cgroup_init,
	.cgroup_exit = (void *)cgweight_cgroup_exit,
	.cgroup_move = (void *)cgweight_cgroup_move,
	.cgroup_set_weight = (void *)cgweight_cgroup_set_weight,
	.exit = (void *)cgweight_exit,
	.flags = SCX_OPS_HAS_CGROUP_WEIGHT,
	.name = "cgweight",
};

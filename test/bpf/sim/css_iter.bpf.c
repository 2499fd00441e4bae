/* SPDX-License-Identifier: MIT */
/*
 * Walks the cgroup hierarchy with the open-coded css iterator, as
 * cgroup-aware production schedulers do to build their view of the tree:
 * ops.init records the cgroup ids bpf_for_each(css, ...) yields from the
 * root in pre-order, post-order and children-only order, and from the last
 * pre-order cgroup up to the root, plus what bpf_iter_css_new returns for
 * each order (CHILDREN is a v7.0 order: -EINVAL before). Tasks go to the
 * global DSQ.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define MAX_IDS 16

u64 pre_ids[MAX_IDS], post_ids[MAX_IDS], child_ids[MAX_IDS], up_ids[MAX_IDS];
u32 nr_pre, nr_post, nr_child, nr_up;
s32 ret_pre, ret_post, ret_child, ret_up, ret_self_only;

static u64 css_cgid(struct cgroup_subsys_state *css)
{
	return css->cgroup->kn->id;
}

#define WALK(ids, nr, ret, start, order)						\
	do {										\
		struct bpf_iter_css it;							\
		struct cgroup_subsys_state *pos;					\
		ret = bpf_iter_css_new(&it, start, order);				\
		while ((pos = bpf_iter_css_next(&it))) {				\
			if (nr < MAX_IDS)						\
				ids[nr++] = css_cgid(pos);				\
		}									\
		bpf_iter_css_destroy(&it);						\
	} while (0)

s32 BPF_STRUCT_OPS_SLEEPABLE(css_init)
{
	struct cgroup *root = bpf_cgroup_from_id(1), *last;
	struct bpf_iter_css probe;

	if (!root)
		return -2;
	bpf_rcu_read_lock();
	WALK(pre_ids, nr_pre, ret_pre, &root->self, BPF_CGROUP_ITER_DESCENDANTS_PRE);
	WALK(post_ids, nr_post, ret_post, &root->self, BPF_CGROUP_ITER_DESCENDANTS_POST);
	WALK(child_ids, nr_child, ret_child, &root->self, BPF_CGROUP_ITER_CHILDREN);
	bpf_rcu_read_unlock();
	ret_self_only = bpf_iter_css_new(&probe, &root->self, BPF_CGROUP_ITER_SELF_ONLY);
	bpf_iter_css_destroy(&probe);
	bpf_cgroup_release(root);

	if (nr_pre == 0 || nr_pre > MAX_IDS)
		return -22;
	last = bpf_cgroup_from_id(pre_ids[nr_pre - 1]);
	if (!last)
		return -2;
	bpf_rcu_read_lock();
	WALK(up_ids, nr_up, ret_up, &last->self, BPF_CGROUP_ITER_ANCESTORS_UP);
	bpf_rcu_read_unlock();
	bpf_cgroup_release(last);
	return 0;
}

void BPF_STRUCT_OPS(css_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops css_iter_ops = {
	.init = (void *)css_init,
	.enqueue = (void *)css_enqueue,
	.name = "css_iter",
};

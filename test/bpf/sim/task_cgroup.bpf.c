/* SPDX-License-Identifier: MIT */
/*
 * A task's cgroup the way schedulers read it without a kfunc:
 * p->cgroups->dfl_cgrp (task_struct -> css_set -> its cgroup v2 cgroup), as
 * scx_layered does to match layers by cgroup path. ops.enqueue compares it
 * with scx_bpf_task_cgroup() and counts both outcomes, and reads the
 * cgroup directory's name (kn->name, with bpf_probe_read_kernel_str as
 * layered builds its paths) and its parent directory's id.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

u64 nr_same, nr_differ, nr_nonroot;
u64 nr_named;		/* non-root cgroups whose kn->name read as a non-empty string */
u64 nr_parent_kn;	/* ... whose kn->parent is the parent cgroup's kn */

void BPF_STRUCT_OPS(tc_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct cgroup *dfl = p->cgroups->dfl_cgrp;
	struct cgroup *cg = scx_bpf_task_cgroup(p);

	if (cg) {
		if (dfl->kn->id == cg->kn->id)
			nr_same++;
		else
			nr_differ++;
		if (dfl->level > 0) {
			char name[32];
			long n = bpf_probe_read_kernel_str(name, sizeof(name), dfl->kn->name);

			nr_nonroot++;
			if (n > 1)
				nr_named++;
			if (dfl->kn->parent && dfl->kn->parent->id == dfl->ancestors[dfl->level - 1]->kn->id)
				nr_parent_kn++;
		}
		bpf_cgroup_release(cg);
	}
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops task_cgroup_ops = {
	.enqueue		= (void *)tc_enqueue,
	.name			= "task_cgroup",
};

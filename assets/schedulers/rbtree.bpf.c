/* SPDX-License-Identifier: MIT */
/*
 * rbtree: a vtime-ordered run queue kept in a BPF red-black tree, with a
 * per-task context object stashed as a kptr in task storage.
 *
 * Demonstrates local kptrs and graph collections:
 *   - ops.enqueue() allocates a `struct task_node` with bpf_obj_new() and adds
 *     it to a bpf_rb_root ordered by vtime (node_less is the `less` callback;
 *     equal keys go right, so equal vtimes stay FIFO). The root and its
 *     bpf_spin_lock share one global data section, as the verifier requires.
 *   - ops.dispatch() takes the leftmost node with bpf_rbtree_first() +
 *     bpf_rbtree_remove(), drops it, looks the task up by pid and inserts it
 *     into the local DSQ. Tasks are owned by the BPF scheduler in between;
 *     a stale pid (the task was dequeued or re-enqueued meanwhile) is ignored
 *     by the kernel's queue-sequence check.
 *   - each task's accounting lives in a `struct task_ctx` from bpf_obj_new(),
 *     stashed in a `__kptr` field of its task-storage value. Users take it
 *     out with bpf_kptr_xchg(), update it and put it back, so at any time the
 *     object has exactly one owner: the map slot or the running program.
 *   - every path that owns an object either stores it or drops it (no leak).
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

struct task_node {
	struct bpf_rb_node rb;
	u64 vtime;
	s32 pid;
};

/* The per-task context object that lives behind a kptr. */
struct task_ctx {
	u64 vtime;
	u64 nr_enqueued;
	u64 nr_dispatched;
};

struct task_stash {
	struct task_ctx __kptr *tctx;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_stash);
} task_stashes SEC(".maps");

private(queue) struct bpf_spin_lock queue_lock;
private(queue) struct bpf_rb_root queue __contains(task_node, rb);

u64 vtime_now;
u64 nr_queued, nr_alloc_failures, nr_stale_pids;

const volatile u64 slice_ns = 20000000;

static bool node_less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	struct task_node *na = container_of(a, struct task_node, rb);
	struct task_node *nb = container_of(b, struct task_node, rb);

	return na->vtime < nb->vtime;
}

/* Take p's context out of its slot; the caller owns it until ctx_put(). */
static __always_inline struct task_ctx *ctx_take(struct task_struct *p, struct task_stash **stashp)
{
	struct task_stash *stash;

	stash = bpf_task_storage_get(&task_stashes, p, NULL, 0);
	*stashp = stash;
	if (!stash)
		return NULL;
	return bpf_kptr_xchg(&stash->tctx, NULL);
}

/* Put the context back. A slot that was refilled meanwhile keeps the newer object. */
static __always_inline void ctx_put(struct task_stash *stash, struct task_ctx *tctx)
{
	struct task_ctx *old;

	old = bpf_kptr_xchg(&stash->tctx, tctx);
	if (old)
		bpf_obj_drop(old);
}

s32 BPF_STRUCT_OPS(rbtree_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;

	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
}

void BPF_STRUCT_OPS(rbtree_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct task_stash *stash;
	struct task_ctx *tctx;
	struct task_node *node;
	u64 vtime;

	tctx = ctx_take(p, &stash);
	if (!tctx || !stash) {
		if (tctx)
			bpf_obj_drop(tctx);
		scx_bpf_error("pid %d has no task context", p->pid);
		return;
	}
	/* A task that slept keeps at most one slice of credit. */
	if (time_before(tctx->vtime, vtime_now - slice_ns))
		tctx->vtime = vtime_now - slice_ns;
	tctx->nr_enqueued++;
	vtime = tctx->vtime;
	ctx_put(stash, tctx);

	node = bpf_obj_new(struct task_node);
	if (!node) {
		/* Never lose a task: without a node it goes to the global DSQ. */
		__sync_fetch_and_add(&nr_alloc_failures, 1);
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice_ns, enq_flags);
		return;
	}
	node->pid = p->pid;
	node->vtime = vtime;

	bpf_spin_lock(&queue_lock);
	bpf_rbtree_add(&queue, &node->rb, node_less);
	bpf_spin_unlock(&queue_lock);
	__sync_fetch_and_add(&nr_queued, 1);
}

/* Pop the lowest-vtime node and return its pid, or 0 when the tree is empty. */
static __always_inline s32 pop_first_pid(void)
{
	struct bpf_rb_node *rb;
	struct task_node *node;
	s32 pid;

	bpf_spin_lock(&queue_lock);
	rb = bpf_rbtree_first(&queue);
	if (!rb) {
		bpf_spin_unlock(&queue_lock);
		return 0;
	}
	rb = bpf_rbtree_remove(&queue, rb);
	bpf_spin_unlock(&queue_lock);
	if (!rb)
		return 0;

	node = container_of(rb, struct task_node, rb);
	pid = node->pid;
	bpf_obj_drop(node);
	__sync_fetch_and_sub(&nr_queued, 1);
	return pid;
}

void BPF_STRUCT_OPS(rbtree_dispatch, s32 cpu, struct task_struct *prev)
{
	struct task_struct *p;
	s32 pid;
	int i;

	/* A few tries: pids of tasks that exited meanwhile are skipped. */
	bpf_for(i, 0, 8) {
		pid = pop_first_pid();
		if (!pid)
			return;
		p = bpf_task_from_pid(pid);
		if (!p) {
			__sync_fetch_and_add(&nr_stale_pids, 1);
			continue;
		}
		/*
		 * A task that cannot run here goes to the global DSQ, where a CPU
		 * it may use will pick it up (the kernel skips it elsewhere).
		 */
		if (bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_ns, 0);
		else
			scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice_ns, 0);
		bpf_task_release(p);
		return;
	}
}

void BPF_STRUCT_OPS(rbtree_running, struct task_struct *p)
{
	struct task_stash *stash;
	struct task_ctx *tctx;

	tctx = ctx_take(p, &stash);
	if (!tctx)
		return;
	if (!stash) {
		bpf_obj_drop(tctx);
		return;
	}
	if (time_before(vtime_now, tctx->vtime))
		vtime_now = tctx->vtime;
	tctx->nr_dispatched++;
	ctx_put(stash, tctx);
}

void BPF_STRUCT_OPS(rbtree_stopping, struct task_struct *p, bool runnable)
{
	struct task_stash *stash;
	struct task_ctx *tctx;

	tctx = ctx_take(p, &stash);
	if (!tctx)
		return;
	if (!stash) {
		bpf_obj_drop(tctx);
		return;
	}
	/*
	 * Charge the slice used, scaled by 100 / weight (weight 100 = nice 0).
	 * The kernel may refill the slice with SCX_SLICE_DFL when it keeps a
	 * task running, so never go below zero.
	 */
	if (p->scx.slice < slice_ns)
		tctx->vtime += (slice_ns - p->scx.slice) * 100 / p->scx.weight;
	ctx_put(stash, tctx);
}

s32 BPF_STRUCT_OPS(rbtree_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	struct task_stash *stash;
	struct task_ctx *tctx;

	stash = bpf_task_storage_get(&task_stashes, p, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!stash)
		return -ENOMEM;
	tctx = bpf_obj_new(struct task_ctx);
	if (!tctx)
		return -ENOMEM;
	tctx->vtime = vtime_now;
	ctx_put(stash, tctx);
	return 0;
}

void BPF_STRUCT_OPS(rbtree_exit_task, struct task_struct *p, struct scx_exit_task_args *args)
{
	struct task_stash *stash;
	struct task_ctx *tctx;

	/* Free the context now rather than when the task's storage goes away. */
	tctx = ctx_take(p, &stash);
	if (tctx)
		bpf_obj_drop(tctx);
}

void BPF_STRUCT_OPS(rbtree_exit, struct scx_exit_info *ei)
{
	bpf_printk("rbtree exits: kind %d", ei->kind);
}

SEC(".struct_ops.link")
struct sched_ext_ops rbtree_ops = {
	.select_cpu = (void *)rbtree_select_cpu,
	.enqueue = (void *)rbtree_enqueue,
	.dispatch = (void *)rbtree_dispatch,
	.running = (void *)rbtree_running,
	.stopping = (void *)rbtree_stopping,
	.init_task = (void *)rbtree_init_task,
	.exit_task = (void *)rbtree_exit_task,
	.exit = (void *)rbtree_exit,
	.name = "rbtree",
};

/* A small but complete scheduler for the loader tests: struct_ops in
 * .struct_ops.link, a sleepable init, BTF-defined maps (task storage with a
 * kptr, an array of maps), an rbtree of bpf_obj_new nodes with a `less`
 * callback, __SCX_* constants, weak kfuncs picked with bpf_ksym_exists(),
 * .kconfig externs, a rodata knob and CO-RE reads of task_struct. */
#include <scx/common.bpf.h>
#include <scx/compat.bpf.h>

char _license[] SEC("license") = "GPL";

const volatile u64 slice_ns = 5000000;
const volatile u32 nr_cpus_knob = 4;
u64 nr_enqueued;
static u64 nr_dispatched;

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig __weak;

/* a kfunc the simulated kernel does not have: weak, guarded */
void scx_bpf_not_in_kernel(u64 x) __ksym __weak;

struct node_data {
	u64 vtime;
	s32 pid;
	struct bpf_rb_node node;
};

struct task_ctx {
	u64 enq_at;
	struct node_data __kptr *stash;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

private(Q) struct bpf_spin_lock q_lock;
private(Q) struct bpf_rb_root q_root __contains(node_data, node);

static bool node_less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	struct node_data *x = container_of(a, struct node_data, node);
	struct node_data *y = container_of(b, struct node_data, node);
	return x->vtime < y->vtime;
}

static __noinline u64 task_vtime(struct task_struct *p)
{
	return BPF_CORE_READ(p, scx.dsq_vtime) + nr_dispatched;
}

s32 BPF_STRUCT_OPS(t_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);
	if (idle)
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_ns, 0);
	return cpu;
}

void BPF_STRUCT_OPS(t_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct node_data *n = bpf_obj_new(struct node_data);
	if (!n)
		return;
	n->vtime = task_vtime(p);
	n->pid = p->pid;
	bpf_spin_lock(&q_lock);
	bpf_rbtree_add(&q_root, &n->node, node_less);
	bpf_spin_unlock(&q_lock);
	nr_enqueued++;
	if (bpf_ksym_exists(scx_bpf_not_in_kernel))
		scx_bpf_not_in_kernel(enq_flags);
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice_ns, enq_flags);
}

void BPF_STRUCT_OPS(t_running, struct task_struct *p)
{
	struct task_ctx *tctx = bpf_task_storage_get(&task_ctxs, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	struct node_data *n, *old;

	if (!tctx)
		return;
	tctx->enq_at = nr_enqueued;
	n = bpf_obj_new(struct node_data);
	if (!n)
		return;
	old = bpf_kptr_xchg(&tctx->stash, n);
	if (old)
		bpf_obj_drop(old);
}

void BPF_STRUCT_OPS(t_dispatch, s32 cpu, struct task_struct *prev)
{
	nr_dispatched += LINUX_KERNEL_VERSION + CONFIG_HZ;
	scx_bpf_dsq_move_to_local(SCX_DSQ_GLOBAL);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(t_init)
{
	return scx_bpf_create_dsq(1, -1);
}

void BPF_STRUCT_OPS(t_exit, struct scx_exit_info *ei)
{
	nr_enqueued = 0;
}

SEC(".struct_ops.link")
struct sched_ext_ops loader_ops = {
	.select_cpu = (void *)t_select_cpu,
	.enqueue = (void *)t_enqueue,
	.dispatch = (void *)t_dispatch,
	.running = (void *)t_running,
	.init = (void *)t_init,
	.exit = (void *)t_exit,
	.flags = SCX_OPS_ENQ_LAST,
	.timeout_ms = 5000,
	.dispatch_max_batch = 8,
	.name = "loader_test",
};

SEC("tp_btf/sched_migrate_task") /* not modelled: loads unattached */
int not_runnable(unsigned long long *ctx)
{
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The simulated kernel's BTF.
 *
 * Built to assets/kernel/kernel.bpf.o, whose .BTF section plays the role of
 * /sys/kernel/btf/vmlinux on a real machine:
 *   - every type and enum of assets/include/vmlinux.h is forced into it, so
 *     CO-RE relocations, the __SCX_* enum constants and the struct_ops member
 *     matching against `struct sched_ext_ops` resolve against it;
 *   - every kfunc the simulated kernel offers is defined below as a stub with
 *     the kernel's exact prototype and parameter names (the __k, __ign, __sz,
 *     __iter, __alloc suffixes carry meaning for the verifier), so the BTF has
 *     one FUNC + FUNC_PROTO per kfunc. The FUNC's BTF type id is the kfunc id,
 *     as on a real kernel where a kfunc call's imm is its vmlinux BTF id.
 *
 * The only FUNCs in this object are kfuncs. The stubs never run: the
 * simulator implements each kfunc in TypeScript and binds it by name.
 *
 * Prototypes follow kernel/sched/ext.c, kernel/sched/ext_idle.c,
 * kernel/bpf/helpers.c and kernel/bpf/cpumask.c. SCXRAY_KERNEL_VERSION
 * (major * 100 + minor, default 619) selects the release whose kfunc set and
 * prototypes the BTF describes; kernel_v6_12.bpf.c ... kernel_v6_18.bpf.c
 * build the older releases so compat code in schedulers can be exercised.
 * What changes from one release to the next (the evidence for each kfunc is
 * in docs/production-schedulers.md, "Kfunc releases"):
 *   v6.12  first release: scx_bpf_dispatch*, scx_bpf_consume, *_from_dsq*
 *   v6.13  scx_bpf_dsq_insert*, scx_bpf_dsq_move*, scx_bpf_dsq_move_to_local
 *          (the old names stay as aliases until v6.16)
 *   v6.14  scx_bpf_now
 *   v6.15  scx_bpf_events, scx_bpf_nr_node_ids, scx_bpf_cpu_node and the
 *          *_node idle kfuncs; bpf_cpumask_populate; bpf_res_spin_lock*
 *   v6.16  scx_bpf_select_cpu_and; bpf_list_front, bpf_list_back
 *   v6.17  bpf_arena_reserve_pages; the pre-v6.13 names are removed
 *   v6.18  scx_bpf_cpu_curr, scx_bpf_locked_rq
 *   v6.19  __scx_bpf_select_cpu_and, __scx_bpf_dsq_insert_vtime (packed
 *          arguments; the unpacked names stay); scx_bpf_dsq_insert___v2
 *          (returns bool; scx_bpf_dsq_insert stays void);
 *          scx_bpf_reenqueue_local___v2; scx_bpf_task_set_slice,
 *          scx_bpf_task_set_dsq_vtime; scx_bpf_dsq_peek
 * Older than every variant, so in all of them: bpf_iter_css_* (v6.7),
 * bpf_preempt_disable/enable (v6.10), bpf_iter_bits_* (v6.11).
 */
#include <vmlinux.h>

#ifndef SCXRAY_KERNEL_VERSION
#define SCXRAY_KERNEL_VERSION 619
#endif

#define __kfunc __attribute__((used, noinline))

/*
 * One object whose members are every type and enum by value, so clang emits
 * their full definitions into BTF (a type reached only through a pointer is
 * emitted as a forward declaration, which CO-RE cannot relocate against).
 * struct cgroup ends in a flexible array and gets a variable of its own.
 * Only the BTF matters; the variables are never read.
 */
struct scxray_kernel_types {
	struct task_struct task;
	struct sched_ext_entity scx;
	struct sched_entity se;
	struct scx_dispatch_q dsq;
	struct scx_dsq_list_node dsq_lnode;
	struct cpumask cpumask;
	struct bpf_cpumask bpf_cpumask;
	struct css_set css_set;
	struct cgroup_subsys_state css;
	struct kernfs_node kn;
	struct sched_ext_ops ops;
	struct scx_init_task_args init_task_args;
	struct scx_exit_task_args exit_task_args;
	struct scx_cgroup_init_args cgroup_init_args;
	struct scx_cpu_acquire_args cpu_acquire_args;
	struct scx_cpu_release_args cpu_release_args;
	struct scx_exit_info exit_info;
	struct scx_dump_ctx dump_ctx;
	struct bpf_spin_lock spin_lock;
	struct bpf_timer timer;
	struct bpf_list_head list_head;
	struct bpf_list_node list_node;
	struct bpf_rb_root rb_root;
	struct bpf_rb_node rb_node;
	struct bpf_refcount refcount;
	struct bpf_iter_num iter_num;
	struct bpf_iter_scx_dsq iter_scx_dsq;
	struct bpf_iter_bits iter_bits;
	struct bpf_iter_css iter_css;
	enum bpf_cgroup_iter_order cgroup_iter_order;
	struct bpf_res_spin_lock res_spin_lock;
	struct scx_event_stats event_stats;
	enum scx_rq_flags rq_flags;
	enum scx_public_consts public_consts;
	enum scx_dsq_id_flags dsq_id_flags;
	enum scx_ent_flags ent_flags;
	enum scx_task_state task_state;
	enum scx_ent_dsq_flags ent_dsq_flags;
	enum scx_kf_mask kf_mask;
	enum scx_dsq_lnode_flags dsq_lnode_flags;
	enum scx_consts consts;
	enum scx_exit_kind exit_kind;
	enum scx_exit_code exit_code;
	enum scx_ops_flags ops_flags;
	enum scx_cpu_preempt_reason cpu_preempt_reason;
	enum scx_wake_flags wake_flags;
	enum scx_enq_flags enq_flags;
	enum scx_deq_flags deq_flags;
	enum scx_pick_idle_cpu_flags pick_idle_cpu_flags;
	enum scx_kick_flags kick_flags;
	enum scx_dsq_iter_flags dsq_iter_flags;
	enum scx_ops_state ops_state;
	enum scx_enable_state enable_state;
	enum bpf_map_type map_type;
	struct bpf_map bpf_map;
	struct bpf_arena bpf_arena;
	class_rcu_t class_rcu;
	struct rq rq;
#if SCXRAY_KERNEL_VERSION >= 619
	struct scx_bpf_select_cpu_and_args select_cpu_and_args;
	struct scx_bpf_dsq_insert_vtime_args dsq_insert_vtime_args;
#endif
};

__attribute__((used)) struct scxray_kernel_types scxray_kernel_types;
__attribute__((used)) struct cgroup scxray_kernel_cgroup;

/*
 * Typed kernel symbols (extern ... __ksym variables), per-CPU like the
 * kernel's: each CPU's runqueue (kernel/sched/core.c), preemption count and
 * cpufreq policy pointer.
 * A program reaches a CPU's copy with bpf_per_cpu_ptr()/bpf_this_cpu_ptr().
 */
__attribute__((used, section(".data..percpu"))) struct rq runqueues;
__attribute__((used, section(".data..percpu"))) int __preempt_count;
/* drivers/cpufreq/cpufreq.c: no cpufreq driver is simulated, so every CPU's policy is NULL */
struct cpufreq_policy;
__attribute__((used, section(".data..percpu"))) struct cpufreq_policy *cpufreq_cpu_data;

/* ---- sched_ext: inserting into DSQs (kernel/sched/ext.c) ---- */

#if SCXRAY_KERNEL_VERSION >= 613
__kfunc void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) {}
__kfunc void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, u64 enq_flags) {}
#endif
#if SCXRAY_KERNEL_VERSION >= 619
/* v6.19: the bool form under a new name (libbpf's ___ stripping finds it from scx_bpf_dsq_insert___v2___compat). */
__kfunc bool scx_bpf_dsq_insert___v2(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) { return false; }
#endif
#if SCXRAY_KERNEL_VERSION < 617
/* Pre-v6.13 names, kept as aliases by v6.13-v6.16 and removed in v6.17. */
__kfunc void scx_bpf_dispatch(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) {}
__kfunc void scx_bpf_dispatch_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, u64 enq_flags) {}
#endif

/* ---- sched_ext: the dispatch path ---- */

__kfunc u32 scx_bpf_dispatch_nr_slots(void) { return 0; }
__kfunc void scx_bpf_dispatch_cancel(void) {}
#if SCXRAY_KERNEL_VERSION >= 613
__kfunc bool scx_bpf_dsq_move_to_local(u64 dsq_id) { return false; }
__kfunc void scx_bpf_dsq_move_set_slice(struct bpf_iter_scx_dsq *it__iter, u64 slice) {}
__kfunc void scx_bpf_dsq_move_set_vtime(struct bpf_iter_scx_dsq *it__iter, u64 vtime) {}
__kfunc bool scx_bpf_dsq_move(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p, u64 dsq_id, u64 enq_flags) { return false; }
__kfunc bool scx_bpf_dsq_move_vtime(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p, u64 dsq_id, u64 enq_flags) { return false; }
#endif
#if SCXRAY_KERNEL_VERSION < 617
__kfunc bool scx_bpf_consume(u64 dsq_id) { return false; }
__kfunc void scx_bpf_dispatch_from_dsq_set_slice(struct bpf_iter_scx_dsq *it__iter, u64 slice) {}
__kfunc void scx_bpf_dispatch_from_dsq_set_vtime(struct bpf_iter_scx_dsq *it__iter, u64 vtime) {}
__kfunc bool scx_bpf_dispatch_from_dsq(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p, u64 dsq_id, u64 enq_flags) { return false; }
__kfunc bool scx_bpf_dispatch_vtime_from_dsq(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p, u64 dsq_id, u64 enq_flags) { return false; }
#endif
__kfunc u32 scx_bpf_reenqueue_local(void) { return 0; }
#if SCXRAY_KERNEL_VERSION >= 619
/* v6.19: the form callable from any op; the counting one stays for ops.cpu_release. */
__kfunc void scx_bpf_reenqueue_local___v2(void) {}
/* v6.19: set a task's slice or vtime through a kfunc (sub-scheduler authority checks). */
__kfunc bool scx_bpf_task_set_slice(struct task_struct *p, u64 slice) { return false; }
__kfunc bool scx_bpf_task_set_dsq_vtime(struct task_struct *p, u64 vtime) { return false; }
#endif

/* ---- sched_ext: DSQ management and iteration ---- */

__kfunc s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) { return 0; }
__kfunc void scx_bpf_destroy_dsq(u64 dsq_id) {}
__kfunc s32 scx_bpf_dsq_nr_queued(u64 dsq_id) { return 0; }
#if SCXRAY_KERNEL_VERSION >= 619
__kfunc struct task_struct *scx_bpf_dsq_peek(u64 dsq_id) { return 0; }
#endif
__kfunc int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id, u64 flags) { return 0; }
__kfunc struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) { return 0; }
__kfunc void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) {}

/* ---- sched_ext: CPUs and idle tracking (kernel/sched/ext_idle.c) ---- */

__kfunc void scx_bpf_kick_cpu(s32 cpu, u64 flags) {}
__kfunc s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags, bool *is_idle) { return 0; }
__kfunc s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) { return 0; }
__kfunc s32 scx_bpf_pick_any_cpu(const struct cpumask *cpus_allowed, u64 flags) { return 0; }
__kfunc bool scx_bpf_test_and_clear_cpu_idle(s32 cpu) { return false; }
__kfunc const struct cpumask *scx_bpf_get_idle_cpumask(void) { return 0; }
__kfunc const struct cpumask *scx_bpf_get_idle_smtmask(void) { return 0; }
__kfunc void scx_bpf_put_idle_cpumask(const struct cpumask *idle_mask) {}
__kfunc void scx_bpf_put_cpumask(const struct cpumask *cpumask) {}
__kfunc const struct cpumask *scx_bpf_get_possible_cpumask(void) { return 0; }
__kfunc const struct cpumask *scx_bpf_get_online_cpumask(void) { return 0; }
__kfunc u32 scx_bpf_nr_cpu_ids(void) { return 0; }
__kfunc s32 scx_bpf_task_cpu(const struct task_struct *p) { return 0; }
__kfunc bool scx_bpf_task_running(const struct task_struct *p) { return false; }
__kfunc u32 scx_bpf_cpuperf_cap(s32 cpu) { return 0; }
__kfunc u32 scx_bpf_cpuperf_cur(s32 cpu) { return 0; }
__kfunc void scx_bpf_cpuperf_set(s32 cpu, u32 perf) {}
#if SCXRAY_KERNEL_VERSION >= 614
__kfunc u64 scx_bpf_now(void) { return 0; }
#endif
__kfunc struct cgroup *scx_bpf_task_cgroup(struct task_struct *p) { return 0; }
#if SCXRAY_KERNEL_VERSION >= 616
__kfunc s32 scx_bpf_select_cpu_and(struct task_struct *p, s32 prev_cpu, u64 wake_flags, const struct cpumask *cpus_allowed, u64 flags) { return 0; }
#endif
#if SCXRAY_KERNEL_VERSION >= 619
__kfunc s32 __scx_bpf_select_cpu_and(struct task_struct *p, const struct cpumask *cpus_allowed, struct scx_bpf_select_cpu_and_args *args) { return 0; }
__kfunc bool __scx_bpf_dsq_insert_vtime(struct task_struct *p, struct scx_bpf_dsq_insert_vtime_args *args) { return false; }
#endif
/* The runqueue of a CPU (v6.12; deprecated by scx_bpf_cpu_curr and scx_bpf_locked_rq in v6.18). */
__kfunc struct rq *scx_bpf_cpu_rq(s32 cpu) { return 0; }
#if SCXRAY_KERNEL_VERSION >= 618
__kfunc struct task_struct *scx_bpf_cpu_curr(s32 cpu) { return 0; }
__kfunc struct rq *scx_bpf_locked_rq(void) { return 0; }
#endif
#if SCXRAY_KERNEL_VERSION >= 615
__kfunc u32 scx_bpf_nr_node_ids(void) { return 0; }
__kfunc int scx_bpf_cpu_node(s32 cpu) { return 0; }
__kfunc const struct cpumask *scx_bpf_get_idle_cpumask_node(int node) { return 0; }
__kfunc const struct cpumask *scx_bpf_get_idle_smtmask_node(int node) { return 0; }
__kfunc s32 scx_bpf_pick_idle_cpu_node(const struct cpumask *cpus_allowed, int node, u64 flags) { return 0; }
__kfunc s32 scx_bpf_pick_any_cpu_node(const struct cpumask *cpus_allowed, int node, u64 flags) { return 0; }
__kfunc void scx_bpf_events(struct scx_event_stats *events, size_t events__sz) {}
#endif

/* ---- sched_ext: exits and dumps (bstr = format + u64 argument array) ---- */

__kfunc void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) {}
__kfunc void scx_bpf_exit_bstr(s64 exit_code, char *fmt, unsigned long long *data, u32 data__sz) {}
__kfunc void scx_bpf_dump_bstr(char *fmt, unsigned long long *data, u32 data__sz) {}

/* ---- local kptrs and graphs (kernel/bpf/helpers.c) ---- */

__kfunc void *bpf_obj_new_impl(u64 local_type_id__k, void *meta__ign) { return 0; }
__kfunc void bpf_obj_drop_impl(void *p__alloc, void *meta__ign) {}
__kfunc void *bpf_refcount_acquire_impl(void *p__refcounted_kptr, void *meta__ign) { return 0; }
__kfunc int bpf_rbtree_add_impl(struct bpf_rb_root *root, struct bpf_rb_node *node,
				bool (less)(struct bpf_rb_node *a, const struct bpf_rb_node *b),
				void *meta__ign, u64 off) { return 0; }
__kfunc struct bpf_rb_node *bpf_rbtree_first(struct bpf_rb_root *root) { return 0; }
__kfunc struct bpf_rb_node *bpf_rbtree_remove(struct bpf_rb_root *root, struct bpf_rb_node *node) { return 0; }
__kfunc int bpf_list_push_front_impl(struct bpf_list_head *head, struct bpf_list_node *node, void *meta__ign, u64 off) { return 0; }
__kfunc int bpf_list_push_back_impl(struct bpf_list_head *head, struct bpf_list_node *node, void *meta__ign, u64 off) { return 0; }
__kfunc struct bpf_list_node *bpf_list_pop_front(struct bpf_list_head *head) { return 0; }
__kfunc struct bpf_list_node *bpf_list_pop_back(struct bpf_list_head *head) { return 0; }
#if SCXRAY_KERNEL_VERSION >= 616
__kfunc struct bpf_list_node *bpf_list_front(struct bpf_list_head *head) { return 0; }
__kfunc struct bpf_list_node *bpf_list_back(struct bpf_list_head *head) { return 0; }
#endif

/* ---- arenas (kernel/bpf/arena.c, v6.9) ---- */

__kfunc void *bpf_arena_alloc_pages(void *p__map, void *addr__ign, u32 page_cnt, int node_id, u64 flags) { return 0; }
__kfunc void bpf_arena_free_pages(void *p__map, void *ptr__ign, u32 page_cnt) {}
#if SCXRAY_KERNEL_VERSION >= 617
__kfunc int bpf_arena_reserve_pages(void *p__map, void *ptr__ign, u32 page_cnt) { return 0; }
#endif

/* ---- open-coded number iterator (kernel/bpf/bpf_iter.c) ---- */

__kfunc int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) { return 0; }
__kfunc int *bpf_iter_num_next(struct bpf_iter_num *it) { return 0; }
__kfunc void bpf_iter_num_destroy(struct bpf_iter_num *it) {}

/* ---- open-coded bit iterator (kernel/bpf/helpers.c, v6.11+) ---- */

__kfunc int bpf_iter_bits_new(struct bpf_iter_bits *it, const u64 *unsafe_ptr__ign, u32 nr_words) { return 0; }
__kfunc int *bpf_iter_bits_next(struct bpf_iter_bits *it) { return 0; }
__kfunc void bpf_iter_bits_destroy(struct bpf_iter_bits *it) {}

/* ---- cpumasks (kernel/bpf/cpumask.c) ---- */

__kfunc struct bpf_cpumask *bpf_cpumask_create(void) { return 0; }
__kfunc struct bpf_cpumask *bpf_cpumask_acquire(struct bpf_cpumask *cpumask) { return 0; }
__kfunc void bpf_cpumask_release(struct bpf_cpumask *cpumask) {}
__kfunc u32 bpf_cpumask_first(const struct cpumask *cpumask) { return 0; }
__kfunc u32 bpf_cpumask_first_zero(const struct cpumask *cpumask) { return 0; }
__kfunc u32 bpf_cpumask_first_and(const struct cpumask *src1, const struct cpumask *src2) { return 0; }
__kfunc void bpf_cpumask_set_cpu(u32 cpu, struct bpf_cpumask *cpumask) {}
__kfunc void bpf_cpumask_clear_cpu(u32 cpu, struct bpf_cpumask *cpumask) {}
__kfunc bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) { return false; }
__kfunc bool bpf_cpumask_test_and_set_cpu(u32 cpu, struct bpf_cpumask *cpumask) { return false; }
__kfunc bool bpf_cpumask_test_and_clear_cpu(u32 cpu, struct bpf_cpumask *cpumask) { return false; }
__kfunc void bpf_cpumask_setall(struct bpf_cpumask *cpumask) {}
__kfunc void bpf_cpumask_clear(struct bpf_cpumask *cpumask) {}
__kfunc bool bpf_cpumask_and(struct bpf_cpumask *dst, const struct cpumask *src1, const struct cpumask *src2) { return false; }
__kfunc void bpf_cpumask_or(struct bpf_cpumask *dst, const struct cpumask *src1, const struct cpumask *src2) {}
__kfunc void bpf_cpumask_xor(struct bpf_cpumask *dst, const struct cpumask *src1, const struct cpumask *src2) {}
__kfunc bool bpf_cpumask_equal(const struct cpumask *src1, const struct cpumask *src2) { return false; }
__kfunc bool bpf_cpumask_intersects(const struct cpumask *src1, const struct cpumask *src2) { return false; }
__kfunc bool bpf_cpumask_subset(const struct cpumask *src1, const struct cpumask *src2) { return false; }
__kfunc bool bpf_cpumask_empty(const struct cpumask *cpumask) { return false; }
__kfunc bool bpf_cpumask_full(const struct cpumask *cpumask) { return false; }
__kfunc void bpf_cpumask_copy(struct bpf_cpumask *dst, const struct cpumask *src) {}
__kfunc u32 bpf_cpumask_any_distribute(const struct cpumask *cpumask) { return 0; }
__kfunc u32 bpf_cpumask_any_and_distribute(const struct cpumask *src1, const struct cpumask *src2) { return 0; }
__kfunc u32 bpf_cpumask_weight(const struct cpumask *cpumask) { return 0; }

#if SCXRAY_KERNEL_VERSION >= 615
__kfunc int bpf_cpumask_populate(struct cpumask *cpumask, void *src, size_t src__sz) { return 0; }
#endif

/* ---- open-coded cgroup iterator (kernel/bpf/cgroup_iter.c, v6.7) ---- */

__kfunc int bpf_iter_css_new(struct bpf_iter_css *it, struct cgroup_subsys_state *start, unsigned int flags) { return 0; }
__kfunc struct cgroup_subsys_state *bpf_iter_css_next(struct bpf_iter_css *it) { return 0; }
__kfunc void bpf_iter_css_destroy(struct bpf_iter_css *it) {}

/* ---- resilient queued spin locks (kernel/bpf/rqspinlock.c, v6.15) ---- */

#if SCXRAY_KERNEL_VERSION >= 615
__kfunc int bpf_res_spin_lock(struct bpf_res_spin_lock *lock) { return 0; }
__kfunc void bpf_res_spin_unlock(struct bpf_res_spin_lock *lock) {}
__kfunc int bpf_res_spin_lock_irqsave(struct bpf_res_spin_lock *lock, unsigned long *flags__irq_flag) { return 0; }
__kfunc void bpf_res_spin_unlock_irqrestore(struct bpf_res_spin_lock *lock, unsigned long *flags__irq_flag) {}
#endif

/* ---- preemption (kernel/bpf/helpers.c, v6.10) ---- */

__kfunc void bpf_preempt_disable(void) {}
__kfunc void bpf_preempt_enable(void) {}

/* ---- tasks, cgroups, RCU (kernel/bpf/helpers.c) ---- */

__kfunc struct task_struct *bpf_task_from_pid(s32 pid) { return 0; }
__kfunc struct task_struct *bpf_task_acquire(struct task_struct *p) { return 0; }
__kfunc void bpf_task_release(struct task_struct *p) {}
__kfunc struct cgroup *bpf_cgroup_acquire(struct cgroup *cgrp) { return 0; }
__kfunc void bpf_cgroup_release(struct cgroup *cgrp) {}
__kfunc struct cgroup *bpf_cgroup_ancestor(struct cgroup *cgrp, int level) { return 0; }
__kfunc struct cgroup *bpf_cgroup_from_id(u64 cgid) { return 0; }
__kfunc void bpf_rcu_read_lock(void) {}
__kfunc void bpf_rcu_read_unlock(void) {}

char LICENSE[] __attribute__((section("license"), used)) = "GPL";

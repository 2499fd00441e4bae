/* SPDX-License-Identifier: MIT */
/*
 * scxray's scheduler header: everything a sched_ext BPF scheduler needs,
 * self-contained (no libbpf headers). Written for scxray; it follows the
 * conventions of the upstream tools/sched_ext/include/scx/common.bpf.h so
 * schedulers written in that style build unchanged:
 *
 *   - section and attribute macros (SEC, __ksym, __weak, __kptr, __contains,
 *     __arg_*, private()), BTF-defined map macros (__uint, __type, __array);
 *   - BPF_PROG / BPF_STRUCT_OPS / BPF_STRUCT_OPS_SLEEPABLE: a struct_ops
 *     program's context is `u64 ctx[]`, one slot per argument;
 *   - helper declarations by helper id (include/uapi/linux/bpf.h);
 *   - CO-RE builtins (bpf_core_*), open-coded iterators (bpf_for, bpf_repeat);
 *   - kfunc declarations as __ksym externs, graph macros over the _impl
 *     kfuncs, and in scx/compat.bpf.h wrappers that pick between current and
 *     older kfunc names with bpf_ksym_exists();
 *   - the __SCX_* constants: weak `const volatile u64` in .rodata that the
 *     loader fills from the kernel's BTF enums before load (as the upstream
 *     userspace SCX_ENUM_INIT does), with SCX_* macros reading them.
 */
#ifndef __SCX_COMMON_BPF_H
#define __SCX_COMMON_BPF_H

#include <vmlinux.h>

/* ---- attributes and sections ---- */

#define SEC(name) __attribute__((section(name), used))

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define __noinline __attribute__((noinline))
#define __weak __attribute__((weak))
#define __hidden __attribute__((visibility("hidden")))
#define __ksym __attribute__((section(".ksyms")))
#define __kconfig __attribute__((section(".kconfig")))
#define __packed __attribute__((packed))

/* A kernel-pointer field a map value or local object may stash (type tag "kptr"). */
#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define __kptr __attribute__((btf_type_tag("kptr")))
#define __percpu_kptr __attribute__((btf_type_tag("percpu_kptr")))
/* Marks a bpf_rb_root / bpf_list_head: it holds `struct name` linked through `node`. */
#define __contains(name, node) __attribute__((btf_decl_tag("contains:" #name ":" #node)))

/* Global function argument annotations (kernel/bpf/btf.c "arg:" decl tags). */
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#define __arg_nonnull __attribute__((btf_decl_tag("arg:nonnull")))
#define __arg_nullable __attribute__((btf_decl_tag("arg:nullable")))
#define __arg_trusted __attribute__((btf_decl_tag("arg:trusted")))
#define __arg_untrusted __attribute__((btf_decl_tag("arg:untrusted")))
#define __arg_arena __attribute__((btf_decl_tag("arg:arena")))

/*
 * A global data section of its own: a .data.NAME map. The bpf_spin_lock and
 * graph roots it holds must not share a map value with unrelated globals.
 */
#define private(name) SEC(".data." #name) __hidden __attribute__((aligned(8)))

/* ---- BTF-defined maps ---- */

#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]

/* ---- small things every scheduler uses ---- */

#ifndef NULL
#define NULL ((void *)0)
#endif

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() asm volatile("" ::: "memory")
#define READ_ONCE(x) (*(volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val) ((*(volatile typeof(x) *)&(x)) = (val))

#ifndef offsetof
#define offsetof(type, member) __builtin_offsetof(type, member)
#endif

#ifndef container_of
#define container_of(ptr, type, member)                                  \
	({                                                               \
		void *__mptr = (void *)(ptr);                            \
		((type *)(__mptr - offsetof(type, member)));             \
	})
#endif

#define ARRAY_ELEM_PTR_UNCHECKED(arr, i) (&(arr)[i])

#define ENOENT 2
#define ESRCH 3
#define EAGAIN 11
#define ENOMEM 12
#define EBUSY 16
#define EEXIST 17
#define EINVAL 22
#define ENOSPC 28

static __always_inline bool time_before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

static __always_inline bool time_after(u64 a, u64 b)
{
	return (s64)(b - a) < 0;
}

static __always_inline bool vtime_before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

/* cpumask kfuncs take `const struct cpumask *`; a bpf_cpumask starts with one. */
static __always_inline const struct cpumask *cast_mask(struct bpf_cpumask *mask)
{
	return (const struct cpumask *)mask;
}

/* ---- argument counting, shared by BPF_PROG and the bstr formatters ---- */

#define ___scx_nth(_, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, N, ...) N
#define ___scx_narg(...) ___scx_nth(_, ##__VA_ARGS__, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define ___scx_concat(a, b) a##b
#define ___scx_apply(fn, n) ___scx_concat(fn, n)

/* ---- BPF_PROG: unpack `u64 ctx[]` into typed arguments ---- */

#define ___scx_ctx_cast0() ctx
#define ___scx_ctx_cast1(x) ___scx_ctx_cast0(), (void *)ctx[0]
#define ___scx_ctx_cast2(x, args...) ___scx_ctx_cast1(args), (void *)ctx[1]
#define ___scx_ctx_cast3(x, args...) ___scx_ctx_cast2(args), (void *)ctx[2]
#define ___scx_ctx_cast4(x, args...) ___scx_ctx_cast3(args), (void *)ctx[3]
#define ___scx_ctx_cast5(x, args...) ___scx_ctx_cast4(args), (void *)ctx[4]
#define ___scx_ctx_cast6(x, args...) ___scx_ctx_cast5(args), (void *)ctx[5]
#define ___scx_ctx_cast(args...) ___scx_apply(___scx_ctx_cast, ___scx_narg(args))(args)

/*
 * The program receives `unsigned long long *ctx`; the body is an inlined
 * function taking the named arguments, each read from its ctx slot. Integer
 * arguments come through a pointer-sized cast, hence the silenced warning.
 */
#define BPF_PROG(name, args...)                                                \
	name(unsigned long long *ctx);                                         \
	static __always_inline typeof(name(0)) ____##name(unsigned long long *ctx, ##args); \
	typeof(name(0)) name(unsigned long long *ctx)                          \
	{                                                                      \
		_Pragma("GCC diagnostic push")                                 \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")         \
		return ____##name(___scx_ctx_cast(args));                      \
		_Pragma("GCC diagnostic pop")                                  \
	}                                                                      \
	static __always_inline typeof(name(0)) ____##name(unsigned long long *ctx, ##args)

#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/* ---- helpers, by id (include/uapi/linux/bpf.h __BPF_FUNC_MAPPER) ---- */

static void *(* const bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (* const bpf_map_update_elem)(void *map, const void *key, const void *value, u64 flags) = (void *)2;
static long (* const bpf_map_delete_elem)(void *map, const void *key) = (void *)3;
static u64 (* const bpf_ktime_get_ns)(void) = (void *)5;
static long (* const bpf_trace_printk)(const char *fmt, u32 fmt_size, ...) = (void *)6;
static u32 (* const bpf_get_prandom_u32)(void) = (void *)7;
static u32 (* const bpf_get_smp_processor_id)(void) = (void *)8;
static u64 (* const bpf_get_current_pid_tgid)(void) = (void *)14;
static long (* const bpf_get_current_comm)(void *buf, u32 size_of_buf) = (void *)16;
static long (* const bpf_map_push_elem)(void *map, const void *value, u64 flags) = (void *)87;
static long (* const bpf_map_pop_elem)(void *map, void *value) = (void *)88;
static long (* const bpf_map_peek_elem)(void *map, void *value) = (void *)89;
static long (* const bpf_spin_lock)(struct bpf_spin_lock *lock) = (void *)93;
static long (* const bpf_spin_unlock)(struct bpf_spin_lock *lock) = (void *)94;
static long (* const bpf_probe_read_kernel)(void *dst, u32 size, const void *unsafe_ptr) = (void *)113;
static long (* const bpf_probe_read_kernel_str)(void *dst, u32 size, const void *unsafe_ptr) = (void *)115;
static long (* const bpf_ringbuf_output)(void *ringbuf, void *data, u64 size, u64 flags) = (void *)130;
static void *(* const bpf_ringbuf_reserve)(void *ringbuf, u64 size, u64 flags) = (void *)131;
static void (* const bpf_ringbuf_submit)(void *data, u64 flags) = (void *)132;
static void (* const bpf_ringbuf_discard)(void *data, u64 flags) = (void *)133;
static void *(* const bpf_task_storage_get)(void *map, struct task_struct *task, void *value, u64 flags) = (void *)156;
static long (* const bpf_task_storage_delete)(void *map, struct task_struct *task) = (void *)157;
static struct task_struct *(* const bpf_get_current_task_btf)(void) = (void *)158;
static long (* const bpf_for_each_map_elem)(void *map, void *callback_fn, void *callback_ctx, u64 flags) = (void *)164;
static long (* const bpf_snprintf)(char *str, u32 str_size, const char *fmt, u64 *data, u32 data_len) = (void *)165;
static long (* const bpf_timer_init)(struct bpf_timer *timer, void *map, u64 flags) = (void *)169;
static long (* const bpf_timer_set_callback)(struct bpf_timer *timer, void *callback_fn) = (void *)170;
static long (* const bpf_timer_start)(struct bpf_timer *timer, u64 nsecs, u64 flags) = (void *)171;
static long (* const bpf_timer_cancel)(struct bpf_timer *timer) = (void *)172;
static long (* const bpf_loop)(u32 nr_loops, void *callback_fn, void *callback_ctx, u64 flags) = (void *)181;
static void *(* const bpf_kptr_xchg)(void *dst, void *ptr) = (void *)194;
static void *(* const bpf_cgrp_storage_get)(void *map, struct cgroup *cgroup, void *value, u64 flags) = (void *)210;
static long (* const bpf_cgrp_storage_delete)(void *map, struct cgroup *cgroup) = (void *)211;

/* bpf_printk(fmt, up to 3 args): the format lives in .rodata, as trace_printk requires. */
#define bpf_printk(fmt, args...)                                         \
	({                                                               \
		static const char ____fmt[] = fmt;                       \
		bpf_trace_printk(____fmt, sizeof(____fmt), ##args);      \
	})

/*
 * Non-zero when the loader resolved the weak extern `sym` (a kfunc or
 * ksym). Unresolved weak externs read as 0, so the branch that calls them is
 * dead at run time (and the calls themselves are poisoned by the loader).
 */
#define bpf_ksym_exists(sym)                                                           \
	({                                                                             \
		_Static_assert(!__builtin_constant_p(!!sym), #sym " must be __weak"); \
		!!sym;                                                                 \
	})

/* ---- CO-RE (llvm __builtin_preserve_* kinds, libbpf relo_core.c) ---- */

enum scx_core_field_info {
	BPF_FIELD_BYTE_OFFSET = 0,
	BPF_FIELD_BYTE_SIZE = 1,
	BPF_FIELD_EXISTS = 2,
	BPF_FIELD_SIGNED = 3,
	BPF_FIELD_LSHIFT_U64 = 4,
	BPF_FIELD_RSHIFT_U64 = 5,
};

enum scx_core_type_id_kind {
	BPF_TYPE_ID_LOCAL = 0,
	BPF_TYPE_ID_TARGET = 1,
};

enum scx_core_type_info_kind {
	BPF_TYPE_EXISTS = 0,
	BPF_TYPE_SIZE = 1,
	BPF_TYPE_MATCHES = 2,
};

enum scx_core_enum_value_kind {
	BPF_ENUMVAL_EXISTS = 0,
	BPF_ENUMVAL_VALUE = 1,
};

#define bpf_core_field_exists(field) __builtin_preserve_field_info(field, BPF_FIELD_EXISTS)
#define bpf_core_field_size(field) __builtin_preserve_field_info(field, BPF_FIELD_BYTE_SIZE)
#define bpf_core_field_offset(field) __builtin_preserve_field_info(field, BPF_FIELD_BYTE_OFFSET)
#define bpf_core_type_id_local(type) __builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_LOCAL)
#define bpf_core_type_id_kernel(type) __builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_TARGET)
#define bpf_core_type_exists(type) __builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_EXISTS)
#define bpf_core_type_size(type) __builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_SIZE)
#define bpf_core_type_matches(type) __builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_MATCHES)
#define bpf_core_enum_value_exists(enum_type, enum_value) \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enum_value, BPF_ENUMVAL_EXISTS)
#define bpf_core_enum_value(enum_type, enum_value) \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enum_value, BPF_ENUMVAL_VALUE)

/* Copy `sz` bytes at `src` (a relocated field address) with bpf_probe_read_kernel. */
#define bpf_core_read(dst, sz, src) \
	bpf_probe_read_kernel(dst, sz, (const void *)__builtin_preserve_access_index(src))

/*
 * BPF_CORE_READ(src, a, b, ...) == src->a->b..., every step relocated. Reads
 * are direct loads: struct_ops arguments are trusted BTF pointers, which the
 * verifier lets programs dereference.
 */
#define ___scx_core_chain1(s, a) (s)->a
#define ___scx_core_chain2(s, a, b) (s)->a->b
#define ___scx_core_chain3(s, a, b, c) (s)->a->b->c
#define ___scx_core_chain4(s, a, b, c, d) (s)->a->b->c->d
#define ___scx_core_chain5(s, a, b, c, d, e) (s)->a->b->c->d->e
#define BPF_CORE_READ(src, fields...) \
	__builtin_preserve_access_index(___scx_apply(___scx_core_chain, ___scx_narg(fields))(src, fields))

/* ---- kfuncs (kernel/sched/ext.c, ext_idle.c; kernel/bpf/helpers.c, cpumask.c) ---- */

/* Kfuncs whose name never changed; the wrappers for renamed ones are in scx/compat.bpf.h. */
u32 scx_bpf_dispatch_nr_slots(void) __ksym;
void scx_bpf_dispatch_cancel(void) __ksym;
u32 scx_bpf_reenqueue_local(void) __ksym;
s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym;
void scx_bpf_destroy_dsq(u64 dsq_id) __ksym;
s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __ksym;
struct task_struct *scx_bpf_dsq_peek(u64 dsq_id) __ksym __weak;
int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id, u64 flags) __ksym __weak;
struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) __ksym __weak;
void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) __ksym __weak;
void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym;
s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags, bool *is_idle) __ksym;
s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym;
s32 scx_bpf_pick_any_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym;
bool scx_bpf_test_and_clear_cpu_idle(s32 cpu) __ksym;
const struct cpumask *scx_bpf_get_idle_cpumask(void) __ksym;
const struct cpumask *scx_bpf_get_idle_smtmask(void) __ksym;
void scx_bpf_put_idle_cpumask(const struct cpumask *cpumask) __ksym;
void scx_bpf_put_cpumask(const struct cpumask *cpumask) __ksym __weak;
const struct cpumask *scx_bpf_get_possible_cpumask(void) __ksym __weak;
const struct cpumask *scx_bpf_get_online_cpumask(void) __ksym __weak;
u32 scx_bpf_nr_cpu_ids(void) __ksym __weak;
s32 scx_bpf_task_cpu(const struct task_struct *p) __ksym;
bool scx_bpf_task_running(const struct task_struct *p) __ksym;
u32 scx_bpf_cpuperf_cap(s32 cpu) __ksym __weak;
u32 scx_bpf_cpuperf_cur(s32 cpu) __ksym __weak;
void scx_bpf_cpuperf_set(s32 cpu, u32 perf) __ksym __weak;
struct cgroup *scx_bpf_task_cgroup(struct task_struct *p) __ksym __weak;
/* v6.15+: NUMA-aware idle tracking (the simulated machine is one node, node 0) and event counters. */
u32 scx_bpf_nr_node_ids(void) __ksym __weak;
int scx_bpf_cpu_node(s32 cpu) __ksym __weak;
const struct cpumask *scx_bpf_get_idle_cpumask_node(int node) __ksym __weak;
const struct cpumask *scx_bpf_get_idle_smtmask_node(int node) __ksym __weak;
s32 scx_bpf_pick_idle_cpu_node(const struct cpumask *cpus_allowed, int node, u64 flags) __ksym __weak;
s32 scx_bpf_pick_any_cpu_node(const struct cpumask *cpus_allowed, int node, u64 flags) __ksym __weak;
void scx_bpf_events(struct scx_event_stats *events, size_t events__sz) __ksym __weak;
void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym;
void scx_bpf_exit_bstr(s64 exit_code, char *fmt, unsigned long long *data, u32 data__sz) __ksym __weak;
void scx_bpf_dump_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym __weak;

void *bpf_obj_new_impl(u64 local_type_id, void *meta) __ksym;
void bpf_obj_drop_impl(void *kptr, void *meta) __ksym;
void *bpf_refcount_acquire_impl(void *kptr, void *meta) __ksym;
int bpf_rbtree_add_impl(struct bpf_rb_root *root, struct bpf_rb_node *node,
			bool (less)(struct bpf_rb_node *a, const struct bpf_rb_node *b),
			void *meta, u64 off) __ksym;
struct bpf_rb_node *bpf_rbtree_first(struct bpf_rb_root *root) __ksym;
struct bpf_rb_node *bpf_rbtree_remove(struct bpf_rb_root *root, struct bpf_rb_node *node) __ksym;
int bpf_list_push_front_impl(struct bpf_list_head *head, struct bpf_list_node *node, void *meta, u64 off) __ksym;
int bpf_list_push_back_impl(struct bpf_list_head *head, struct bpf_list_node *node, void *meta, u64 off) __ksym;
struct bpf_list_node *bpf_list_pop_front(struct bpf_list_head *head) __ksym;
struct bpf_list_node *bpf_list_pop_back(struct bpf_list_head *head) __ksym;
struct bpf_list_node *bpf_list_front(struct bpf_list_head *head) __ksym __weak;
struct bpf_list_node *bpf_list_back(struct bpf_list_head *head) __ksym __weak;

/* The program passes its own BTF id for the type: that is how the kernel knows the size and special fields. */
#define bpf_obj_new(type) ((type *)bpf_obj_new_impl(bpf_core_type_id_local(type), NULL))
#define bpf_obj_drop(kptr) bpf_obj_drop_impl(kptr, NULL)
#define bpf_refcount_acquire(kptr) bpf_refcount_acquire_impl(kptr, NULL)
#define bpf_rbtree_add(root, node, less) bpf_rbtree_add_impl(root, node, less, NULL, 0)
#define bpf_list_push_front(head, node) bpf_list_push_front_impl(head, node, NULL, 0)
#define bpf_list_push_back(head, node) bpf_list_push_back_impl(head, node, NULL, 0)

int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym;
int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym;
void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym;
int bpf_iter_bits_new(struct bpf_iter_bits *it, const u64 *unsafe_ptr__ign, u32 nr_words) __ksym __weak;
int *bpf_iter_bits_next(struct bpf_iter_bits *it) __ksym __weak;
void bpf_iter_bits_destroy(struct bpf_iter_bits *it) __ksym __weak;
/* Cgroups under (or above) `start`: `bpf_for_each(css, pos, &cgrp->self, BPF_CGROUP_ITER_DESCENDANTS_PRE)`. */
int bpf_iter_css_new(struct bpf_iter_css *it, struct cgroup_subsys_state *start, unsigned int flags) __ksym __weak;
struct cgroup_subsys_state *bpf_iter_css_next(struct bpf_iter_css *it) __ksym __weak;
void bpf_iter_css_destroy(struct bpf_iter_css *it) __ksym __weak;
/* v6.15+: resilient spin locks; 0 when taken, a negative error (-EDEADLK, -ETIMEDOUT) when not. */
int bpf_res_spin_lock(struct bpf_res_spin_lock *lock) __ksym __weak;
void bpf_res_spin_unlock(struct bpf_res_spin_lock *lock) __ksym __weak;
int bpf_res_spin_lock_irqsave(struct bpf_res_spin_lock *lock, unsigned long *flags__irq_flag) __ksym __weak;
void bpf_res_spin_unlock_irqrestore(struct bpf_res_spin_lock *lock, unsigned long *flags__irq_flag) __ksym __weak;

struct bpf_cpumask *bpf_cpumask_create(void) __ksym;
struct bpf_cpumask *bpf_cpumask_acquire(struct bpf_cpumask *cpumask) __ksym;
void bpf_cpumask_release(struct bpf_cpumask *cpumask) __ksym;
u32 bpf_cpumask_first(const struct cpumask *cpumask) __ksym;
u32 bpf_cpumask_first_zero(const struct cpumask *cpumask) __ksym;
u32 bpf_cpumask_first_and(const struct cpumask *src1, const struct cpumask *src2) __ksym;
void bpf_cpumask_set_cpu(u32 cpu, struct bpf_cpumask *cpumask) __ksym;
void bpf_cpumask_clear_cpu(u32 cpu, struct bpf_cpumask *cpumask) __ksym;
bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __ksym;
bool bpf_cpumask_test_and_set_cpu(u32 cpu, struct bpf_cpumask *cpumask) __ksym;
bool bpf_cpumask_test_and_clear_cpu(u32 cpu, struct bpf_cpumask *cpumask) __ksym;
void bpf_cpumask_setall(struct bpf_cpumask *cpumask) __ksym;
void bpf_cpumask_clear(struct bpf_cpumask *cpumask) __ksym;
bool bpf_cpumask_and(struct bpf_cpumask *dst, const struct cpumask *src1, const struct cpumask *src2) __ksym;
void bpf_cpumask_or(struct bpf_cpumask *dst, const struct cpumask *src1, const struct cpumask *src2) __ksym;
void bpf_cpumask_xor(struct bpf_cpumask *dst, const struct cpumask *src1, const struct cpumask *src2) __ksym;
bool bpf_cpumask_equal(const struct cpumask *src1, const struct cpumask *src2) __ksym;
bool bpf_cpumask_intersects(const struct cpumask *src1, const struct cpumask *src2) __ksym;
bool bpf_cpumask_subset(const struct cpumask *src1, const struct cpumask *src2) __ksym;
bool bpf_cpumask_empty(const struct cpumask *cpumask) __ksym;
bool bpf_cpumask_full(const struct cpumask *cpumask) __ksym;
void bpf_cpumask_copy(struct bpf_cpumask *dst, const struct cpumask *src) __ksym;
u32 bpf_cpumask_any_distribute(const struct cpumask *cpumask) __ksym;
u32 bpf_cpumask_any_and_distribute(const struct cpumask *src1, const struct cpumask *src2) __ksym;
u32 bpf_cpumask_weight(const struct cpumask *cpumask) __ksym;

struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
void bpf_task_release(struct task_struct *p) __ksym;
struct cgroup *bpf_cgroup_acquire(struct cgroup *cgrp) __ksym;
void bpf_cgroup_release(struct cgroup *cgrp) __ksym;
struct cgroup *bpf_cgroup_ancestor(struct cgroup *cgrp, int level) __ksym;
struct cgroup *bpf_cgroup_from_id(u64 cgid) __ksym;
void bpf_rcu_read_lock(void) __ksym;
void bpf_rcu_read_unlock(void) __ksym;

/* ---- open-coded iterators (bpf_iter_num_*) ---- */

/*
 * for (i = start; i < end; i++) that the verifier can bound: the iterator
 * state lives on the stack, is created once, stepped by bpf_iter_num_next()
 * and destroyed by the cleanup attribute when the loop scope ends.
 */
#define bpf_for(i, start, end)                                                          \
	for (struct bpf_iter_num ___it __attribute__((aligned(8), cleanup(bpf_iter_num_destroy))), \
	     *___once __attribute__((unused)) =                                         \
		     (bpf_iter_num_new(&___it, (start), (end)), (void)bpf_iter_num_destroy, (void *)0); \
	     ({                                                                         \
		     int *___cur = bpf_iter_num_next(&___it);                          \
		     (___cur && ((i) = *___cur, (i) >= (start) && (i) < (end)));        \
	     });)

/* Run the body `n` times. */
#define bpf_repeat(n)                                                                   \
	for (struct bpf_iter_num ___it __attribute__((aligned(8), cleanup(bpf_iter_num_destroy))), \
	     *___once __attribute__((unused)) =                                         \
		     (bpf_iter_num_new(&___it, 0, (n)), (void)bpf_iter_num_destroy, (void *)0); \
	     bpf_iter_num_next(&___it);)

/* Inside bpf_for_each(), the iterator itself (for scx_bpf_dsq_move() and friends). */
#define BPF_FOR_EACH_ITER (&___it)

/* Tasks queued on a DSQ, front to back (or back to front with SCX_DSQ_ITER_REV). */
#define bpf_for_each(type, cur, args...)                                                \
	for (struct bpf_iter_##type ___it __attribute__((aligned(8), cleanup(bpf_iter_##type##_destroy))), \
	     *___once __attribute__((unused)) =                                         \
		     (bpf_iter_##type##_new(&___it, ##args), (void)bpf_iter_##type##_destroy, (void *)0); \
	     ((cur) = bpf_iter_##type##_next(&___it));)

/*
 * Set bits of `nr_words` u64s at `ptr`, lowest first, copied when the loop
 * starts: `int *bit; bpf_for_each(bits, bit, &word, 1) use(*bit);`.
 * for_each_possible_cpu(cpu) / for_each_online_cpu(cpu) walk those masks
 * with `cpu` an s32.
 */
#define __scx_for_each_cpu_in(cpu, mask)                                                 \
	for (const struct cpumask *___mask __attribute__((unused)) = (mask); ___mask; ___mask = (void *)0) \
		for (struct bpf_iter_bits ___bits __attribute__((aligned(8), cleanup(bpf_iter_bits_destroy))), \
		     *___once __attribute__((unused)) =                                  \
			     (bpf_iter_bits_new(&___bits, (const u64 *)___mask, sizeof(struct cpumask) / 8), \
			      scx_bpf_put_cpumask(___mask), (void *)0);                     \
		     ({                                                                  \
			     int *___b = bpf_iter_bits_next(&___bits);                   \
			     ___b && ((cpu) = *___b, 1);                                  \
		     });)
#define for_each_possible_cpu(cpu) __scx_for_each_cpu_in(cpu, scx_bpf_get_possible_cpumask())
#define for_each_online_cpu(cpu) __scx_for_each_cpu_in(cpu, scx_bpf_get_online_cpumask())

/* ---- formatted exits: a format string plus a u64 array of arguments ---- */

#define ___scx_fill0(arr, p, ...) do {} while (0)
#define ___scx_fill1(arr, p, x) arr[p] = (unsigned long long)(x)
#define ___scx_fill2(arr, p, x, args...) arr[p] = (unsigned long long)(x); ___scx_fill1(arr, p + 1, args)
#define ___scx_fill3(arr, p, x, args...) arr[p] = (unsigned long long)(x); ___scx_fill2(arr, p + 1, args)
#define ___scx_fill4(arr, p, x, args...) arr[p] = (unsigned long long)(x); ___scx_fill3(arr, p + 1, args)
#define ___scx_fill5(arr, p, x, args...) arr[p] = (unsigned long long)(x); ___scx_fill4(arr, p + 1, args)
#define ___scx_fill6(arr, p, x, args...) arr[p] = (unsigned long long)(x); ___scx_fill5(arr, p + 1, args)
#define ___scx_fill7(arr, p, x, args...) arr[p] = (unsigned long long)(x); ___scx_fill6(arr, p + 1, args)
#define ___scx_fill8(arr, p, x, args...) arr[p] = (unsigned long long)(x); ___scx_fill7(arr, p + 1, args)
#define ___scx_fill(arr, args...) ___scx_apply(___scx_fill, ___scx_narg(args))(arr, 0, ##args)

/* The format in .rodata and the arguments in an on-stack u64 array, as the bstr kfuncs take them. */
#define scx_bpf_bstr_preamble(fmt, args...)                                      \
	static char ___fmt[] = fmt;                                              \
	unsigned long long ___param[___scx_narg(args) > 0 ? ___scx_narg(args) : 1]; \
	_Pragma("GCC diagnostic push")                                           \
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")                   \
	___scx_fill(___param, ##args);                                           \
	_Pragma("GCC diagnostic pop")

/* Abort the scheduler with a formatted message (SCX_EXIT_ERROR_BPF). */
#define scx_bpf_error(fmt, args...)                                              \
	({                                                                       \
		scx_bpf_bstr_preamble(fmt, ##args)                               \
		scx_bpf_error_bstr(___fmt, ___param, sizeof(unsigned long long) * ___scx_narg(args)); \
	})

/* Unregister gracefully with an exit code (SCX_EXIT_UNREG_BPF). */
#define scx_bpf_exit(code, fmt, args...)                                         \
	({                                                                       \
		scx_bpf_bstr_preamble(fmt, ##args)                               \
		scx_bpf_exit_bstr(code, ___fmt, ___param, sizeof(unsigned long long) * ___scx_narg(args)); \
	})

/* Append to the debug dump; only meaningful inside ops.dump*(). */
#define scx_bpf_dump(fmt, args...)                                               \
	({                                                                       \
		scx_bpf_bstr_preamble(fmt, ##args)                               \
		scx_bpf_dump_bstr(___fmt, ___param, sizeof(unsigned long long) * ___scx_narg(args)); \
	})

#include "enums.bpf.h"
#include "compat.bpf.h"
#include "user_exit_info.bpf.h"

#endif /* __SCX_COMMON_BPF_H */

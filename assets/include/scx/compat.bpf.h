/* SPDX-License-Identifier: MIT */
/*
 * Kfuncs that were renamed or changed prototype between kernel releases.
 *
 * Each variant is declared as a weak extern with a `___suffix`. The loader,
 * like libbpf, strips the suffix, looks the name up in the kernel's BTF and
 * binds the extern only if the prototypes are compatible; otherwise the weak
 * extern stays 0. The inline wrappers below test with bpf_ksym_exists() and
 * call whichever variant the running kernel has, so one object runs on
 * kernels before and after each change:
 *
 *   v6.13  scx_bpf_dispatch         -> scx_bpf_dsq_insert
 *          scx_bpf_dispatch_vtime   -> scx_bpf_dsq_insert_vtime
 *          scx_bpf_consume          -> scx_bpf_dsq_move_to_local
 *          scx_bpf_dispatch[_vtime]_from_dsq[_set_slice|_set_vtime]
 *                                   -> scx_bpf_dsq_move[_vtime][_set_slice|_set_vtime]
 *   v6.17  the pre-v6.13 names are gone from the kernel
 *   v6.19  scx_bpf_dsq_insert___v2 returns bool (false: the insert was refused);
 *          scx_bpf_dsq_insert stays void. The extern carries a second suffix,
 *          ___v2___compat, because the loader strips only the last one.
 *   later  scx_bpf_dsq_move_to_local takes enq_flags
 */
#ifndef __SCX_COMPAT_BPF_H
#define __SCX_COMPAT_BPF_H

/* ---- inserting into a DSQ ---- */

bool scx_bpf_dsq_insert___v2___compat(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;
void scx_bpf_dsq_insert___v1(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;
void scx_bpf_dispatch___compat(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;

static inline bool scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_insert___v2___compat))
		return scx_bpf_dsq_insert___v2___compat(p, dsq_id, slice, enq_flags);
	if (bpf_ksym_exists(scx_bpf_dsq_insert___v1))
		scx_bpf_dsq_insert___v1(p, dsq_id, slice, enq_flags);
	else
		scx_bpf_dispatch___compat(p, dsq_id, slice, enq_flags);
	/* Before v6.19 a refused insert was an error exit, never a return value. */
	return true;
}

void scx_bpf_dsq_insert_vtime___compat(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
				       u64 enq_flags) __ksym __weak;
void scx_bpf_dispatch_vtime___compat(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
				     u64 enq_flags) __ksym __weak;

static inline void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
					    u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_insert_vtime___compat))
		scx_bpf_dsq_insert_vtime___compat(p, dsq_id, slice, vtime, enq_flags);
	else
		scx_bpf_dispatch_vtime___compat(p, dsq_id, slice, vtime, enq_flags);
}

/* ---- moving tasks from a DSQ in ops.dispatch() ---- */

bool scx_bpf_dsq_move_to_local___v2(u64 dsq_id, u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_to_local___v1(u64 dsq_id) __ksym __weak;
bool scx_bpf_consume___compat(u64 dsq_id) __ksym __weak;

static inline bool scx_bpf_dsq_move_to_local(u64 dsq_id)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_to_local___v2))
		return scx_bpf_dsq_move_to_local___v2(dsq_id, 0);
	if (bpf_ksym_exists(scx_bpf_dsq_move_to_local___v1))
		return scx_bpf_dsq_move_to_local___v1(dsq_id);
	return scx_bpf_consume___compat(dsq_id);
}

void scx_bpf_dsq_move_set_slice___new(struct bpf_iter_scx_dsq *it__iter, u64 slice) __ksym __weak;
void scx_bpf_dsq_move_set_vtime___new(struct bpf_iter_scx_dsq *it__iter, u64 vtime) __ksym __weak;
bool scx_bpf_dsq_move___new(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p, u64 dsq_id,
			    u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_vtime___new(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p, u64 dsq_id,
				  u64 enq_flags) __ksym __weak;
void scx_bpf_dispatch_from_dsq_set_slice___compat(struct bpf_iter_scx_dsq *it__iter, u64 slice) __ksym __weak;
void scx_bpf_dispatch_from_dsq_set_vtime___compat(struct bpf_iter_scx_dsq *it__iter, u64 vtime) __ksym __weak;
bool scx_bpf_dispatch_from_dsq___compat(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p, u64 dsq_id,
					u64 enq_flags) __ksym __weak;
bool scx_bpf_dispatch_vtime_from_dsq___compat(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p,
					      u64 dsq_id, u64 enq_flags) __ksym __weak;

static inline void scx_bpf_dsq_move_set_slice(struct bpf_iter_scx_dsq *it__iter, u64 slice)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_set_slice___new))
		scx_bpf_dsq_move_set_slice___new(it__iter, slice);
	else if (bpf_ksym_exists(scx_bpf_dispatch_from_dsq_set_slice___compat))
		scx_bpf_dispatch_from_dsq_set_slice___compat(it__iter, slice);
}

static inline void scx_bpf_dsq_move_set_vtime(struct bpf_iter_scx_dsq *it__iter, u64 vtime)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_set_vtime___new))
		scx_bpf_dsq_move_set_vtime___new(it__iter, vtime);
	else if (bpf_ksym_exists(scx_bpf_dispatch_from_dsq_set_vtime___compat))
		scx_bpf_dispatch_from_dsq_set_vtime___compat(it__iter, vtime);
}

static inline bool scx_bpf_dsq_move(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p, u64 dsq_id,
				    u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move___new))
		return scx_bpf_dsq_move___new(it__iter, p, dsq_id, enq_flags);
	if (bpf_ksym_exists(scx_bpf_dispatch_from_dsq___compat))
		return scx_bpf_dispatch_from_dsq___compat(it__iter, p, dsq_id, enq_flags);
	return false;
}

static inline bool scx_bpf_dsq_move_vtime(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p,
					  u64 dsq_id, u64 enq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_vtime___new))
		return scx_bpf_dsq_move_vtime___new(it__iter, p, dsq_id, enq_flags);
	if (bpf_ksym_exists(scx_bpf_dispatch_vtime_from_dsq___compat))
		return scx_bpf_dispatch_vtime_from_dsq___compat(it__iter, p, dsq_id, enq_flags);
	return false;
}

/* ---- time ---- */

u64 scx_bpf_now___compat(void) __ksym __weak;

/* scx_bpf_now() (v6.14) is the rq clock; before it, fall back to ktime. */
static inline u64 scx_bpf_now(void)
{
	if (bpf_ksym_exists(scx_bpf_now___compat))
		return scx_bpf_now___compat();
	return bpf_ktime_get_ns();
}

/* ---- defining the ops table ---- */

/* SCX_OPS_DEFINE(my_ops, .enqueue = (void *)my_enqueue, .name = "my"); as upstream schedulers write it. */
#define SCX_OPS_DEFINE(__name, ...)                 \
	SEC(".struct_ops.link")                     \
	struct sched_ext_ops __name = {             \
		__VA_ARGS__,                        \
	}

#endif /* __SCX_COMPAT_BPF_H */

/* SPDX-License-Identifier: MIT */
/*
 * The sched_ext constants as a scheduler reads them: weak `const volatile u64`
 * variables in .rodata, named after the kernel enumerator with a leading `__`.
 * Before load, the loader writes each one from the kernel BTF enumerator of
 * the same name (enumerator = variable name without the leading `__`), as the
 * upstream userspace SCX_ENUM_INIT() does; a constant the kernel lacks stays 0.
 *
 * The SCX_* macros then make `SCX_DSQ_LOCAL` in scheduler code mean the
 * variable, not the compile-time enumerator of vmlinux.h, so one object runs
 * on kernels whose values differ. SCX_OPS_* flags are not redirected: they
 * initialise the struct_ops map and must be compile-time constants.
 *
 * Included from scx/common.bpf.h after vmlinux.h.
 */
#ifndef __SCX_ENUMS_BPF_H
#define __SCX_ENUMS_BPF_H

/* enum scx_public_consts */
const volatile u64 __SCX_SLICE_DFL __weak;
#define SCX_SLICE_DFL __SCX_SLICE_DFL
const volatile u64 __SCX_SLICE_INF __weak;
#define SCX_SLICE_INF __SCX_SLICE_INF

/* enum scx_dsq_id_flags */
const volatile u64 __SCX_DSQ_FLAG_BUILTIN __weak;
#define SCX_DSQ_FLAG_BUILTIN __SCX_DSQ_FLAG_BUILTIN
const volatile u64 __SCX_DSQ_FLAG_LOCAL_ON __weak;
#define SCX_DSQ_FLAG_LOCAL_ON __SCX_DSQ_FLAG_LOCAL_ON
const volatile u64 __SCX_DSQ_INVALID __weak;
#define SCX_DSQ_INVALID __SCX_DSQ_INVALID
const volatile u64 __SCX_DSQ_GLOBAL __weak;
#define SCX_DSQ_GLOBAL __SCX_DSQ_GLOBAL
const volatile u64 __SCX_DSQ_LOCAL __weak;
#define SCX_DSQ_LOCAL __SCX_DSQ_LOCAL
const volatile u64 __SCX_DSQ_LOCAL_ON __weak;
#define SCX_DSQ_LOCAL_ON __SCX_DSQ_LOCAL_ON
const volatile u64 __SCX_DSQ_LOCAL_CPU_MASK __weak;
#define SCX_DSQ_LOCAL_CPU_MASK __SCX_DSQ_LOCAL_CPU_MASK

/* enum scx_ent_flags */
const volatile u64 __SCX_TASK_QUEUED __weak;
#define SCX_TASK_QUEUED __SCX_TASK_QUEUED
const volatile u64 __SCX_TASK_RESET_RUNNABLE_AT __weak;
#define SCX_TASK_RESET_RUNNABLE_AT __SCX_TASK_RESET_RUNNABLE_AT
const volatile u64 __SCX_TASK_DEQD_FOR_SLEEP __weak;
#define SCX_TASK_DEQD_FOR_SLEEP __SCX_TASK_DEQD_FOR_SLEEP
const volatile u64 __SCX_TASK_STATE_SHIFT __weak;
#define SCX_TASK_STATE_SHIFT __SCX_TASK_STATE_SHIFT
const volatile u64 __SCX_TASK_STATE_BITS __weak;
#define SCX_TASK_STATE_BITS __SCX_TASK_STATE_BITS
const volatile u64 __SCX_TASK_STATE_MASK __weak;
#define SCX_TASK_STATE_MASK __SCX_TASK_STATE_MASK
const volatile u64 __SCX_TASK_CURSOR __weak;
#define SCX_TASK_CURSOR __SCX_TASK_CURSOR

/* enum scx_task_state */
const volatile u64 __SCX_TASK_NONE __weak;
#define SCX_TASK_NONE __SCX_TASK_NONE
const volatile u64 __SCX_TASK_INIT __weak;
#define SCX_TASK_INIT __SCX_TASK_INIT
const volatile u64 __SCX_TASK_READY __weak;
#define SCX_TASK_READY __SCX_TASK_READY
const volatile u64 __SCX_TASK_ENABLED __weak;
#define SCX_TASK_ENABLED __SCX_TASK_ENABLED
const volatile u64 __SCX_TASK_NR_STATES __weak;
#define SCX_TASK_NR_STATES __SCX_TASK_NR_STATES

/* enum scx_ent_dsq_flags */
const volatile u64 __SCX_TASK_DSQ_ON_PRIQ __weak;
#define SCX_TASK_DSQ_ON_PRIQ __SCX_TASK_DSQ_ON_PRIQ

/* enum scx_wake_flags */
const volatile u64 __SCX_WAKE_FORK __weak;
#define SCX_WAKE_FORK __SCX_WAKE_FORK
const volatile u64 __SCX_WAKE_TTWU __weak;
#define SCX_WAKE_TTWU __SCX_WAKE_TTWU
const volatile u64 __SCX_WAKE_SYNC __weak;
#define SCX_WAKE_SYNC __SCX_WAKE_SYNC

/* enum scx_enq_flags */
const volatile u64 __SCX_ENQ_WAKEUP __weak;
#define SCX_ENQ_WAKEUP __SCX_ENQ_WAKEUP
const volatile u64 __SCX_ENQ_HEAD __weak;
#define SCX_ENQ_HEAD __SCX_ENQ_HEAD
const volatile u64 __SCX_ENQ_CPU_SELECTED __weak;
#define SCX_ENQ_CPU_SELECTED __SCX_ENQ_CPU_SELECTED
const volatile u64 __SCX_ENQ_PREEMPT __weak;
#define SCX_ENQ_PREEMPT __SCX_ENQ_PREEMPT
const volatile u64 __SCX_ENQ_IMMED __weak;
#define SCX_ENQ_IMMED __SCX_ENQ_IMMED
const volatile u64 __SCX_ENQ_REENQ __weak;
#define SCX_ENQ_REENQ __SCX_ENQ_REENQ
const volatile u64 __SCX_ENQ_LAST __weak;
#define SCX_ENQ_LAST __SCX_ENQ_LAST
const volatile u64 __SCX_ENQ_CLEAR_OPSS __weak;
#define SCX_ENQ_CLEAR_OPSS __SCX_ENQ_CLEAR_OPSS
const volatile u64 __SCX_ENQ_DSQ_PRIQ __weak;
#define SCX_ENQ_DSQ_PRIQ __SCX_ENQ_DSQ_PRIQ

/* enum scx_deq_flags */
const volatile u64 __SCX_DEQ_SLEEP __weak;
#define SCX_DEQ_SLEEP __SCX_DEQ_SLEEP
const volatile u64 __SCX_DEQ_CORE_SCHED_EXEC __weak;
#define SCX_DEQ_CORE_SCHED_EXEC __SCX_DEQ_CORE_SCHED_EXEC
const volatile u64 __SCX_DEQ_SCHED_CHANGE __weak;
#define SCX_DEQ_SCHED_CHANGE __SCX_DEQ_SCHED_CHANGE

/* enum scx_pick_idle_cpu_flags */
const volatile u64 __SCX_PICK_IDLE_CORE __weak;
#define SCX_PICK_IDLE_CORE __SCX_PICK_IDLE_CORE
const volatile u64 __SCX_PICK_IDLE_IN_NODE __weak;
#define SCX_PICK_IDLE_IN_NODE __SCX_PICK_IDLE_IN_NODE

/* enum scx_kick_flags */
const volatile u64 __SCX_KICK_IDLE __weak;
#define SCX_KICK_IDLE __SCX_KICK_IDLE
const volatile u64 __SCX_KICK_PREEMPT __weak;
#define SCX_KICK_PREEMPT __SCX_KICK_PREEMPT
const volatile u64 __SCX_KICK_WAIT __weak;
#define SCX_KICK_WAIT __SCX_KICK_WAIT

/* enum scx_dsq_iter_flags */
const volatile u64 __SCX_DSQ_ITER_REV __weak;
#define SCX_DSQ_ITER_REV __SCX_DSQ_ITER_REV

#endif /* __SCX_ENUMS_BPF_H */

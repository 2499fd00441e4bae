// The release each kfunc of the simulated kernel appeared in (and, for the
// pre-v6.13 sched_ext names, the last one that still had it), checked
// against the kernel: the torvalds/linux commit that added it (the one
// isovalent/ebpf-docs docs/linux/kfuncs/<name>.md tags with its first
// release; `source` gives its hash), scx's include/scx/compat.bpf.h,
// and the kfunc prototypes bpftool writes into scx's
// scheds/vmlinux/arch/x86/vmlinux-v7.0-rc2-g28c4ef2b2e57.h (every kfunc
// below without an `until` is still there in v7.0-rc2).
// docs/production-schedulers.md ("Kfunc releases") gives the evidence per
// kfunc. assets/kernel/kernel.bpf.c declares each for these releases; the
// test beside this file loads every release's BTF and checks it.

/** Where a kfunc comes from and its releases ("6.12" = v6.12). */
export interface KfuncRelease {
  since: string;
  /** The last release that has it, when a later one removed it. */
  until?: string;
  /** The kernel file that defines it. */
  file: string;
  /** The evidence for `since` (and `until`): a commit, a header. */
  source: string;
}

const EXT = 'kernel/sched/ext.c';
const IDLE = 'kernel/sched/ext_idle.c';
const HELPERS = 'kernel/bpf/helpers.c';
const CPUMASK = 'kernel/bpf/cpumask.c';
const SCX_INITIAL = 'f0e1a0643a59';
const RENAMED = 'removed by 4ecf83741401 (sched_ext: Drop kfuncs marked for removal in 6.15), merged for v6.17';
const CPUMASK_INITIAL = '516f4d3397c9';

function group(names: string[], r: KfuncRelease): [string, KfuncRelease][] {
  return names.map((n) => [n, r]);
}

export const KFUNC_RELEASES: ReadonlyMap<string, KfuncRelease> = new Map([
  // sched_ext, first release
  ...group([
    'scx_bpf_dispatch_nr_slots', 'scx_bpf_dispatch_cancel', 'scx_bpf_create_dsq', 'scx_bpf_destroy_dsq',
    'scx_bpf_dsq_nr_queued', 'scx_bpf_kick_cpu', 'scx_bpf_error_bstr', 'scx_bpf_exit_bstr',
    'scx_bpf_nr_cpu_ids', 'scx_bpf_task_cpu', 'scx_bpf_task_running', 'scx_bpf_get_possible_cpumask',
    'scx_bpf_get_online_cpumask', 'scx_bpf_put_cpumask',
  ], { since: '6.12', file: EXT, source: SCX_INITIAL }),
  ...group([
    'scx_bpf_select_cpu_dfl', 'scx_bpf_pick_idle_cpu', 'scx_bpf_pick_any_cpu', 'scx_bpf_test_and_clear_cpu_idle',
    'scx_bpf_get_idle_cpumask', 'scx_bpf_get_idle_smtmask', 'scx_bpf_put_idle_cpumask',
  ], { since: '6.12', file: IDLE, source: `${SCX_INITIAL}; now in ext_idle.c` }),
  ...group(['bpf_iter_scx_dsq_new', 'bpf_iter_scx_dsq_next', 'bpf_iter_scx_dsq_destroy'],
    { since: '6.12', file: EXT, source: '650ba21b131e' }),
  ['scx_bpf_dump_bstr', { since: '6.12', file: EXT, source: '07814a9439a3' }],
  ['scx_bpf_reenqueue_local', { since: '6.12', file: EXT, source: '245254f7081d' }],
  ...group(['scx_bpf_cpuperf_cap', 'scx_bpf_cpuperf_cur', 'scx_bpf_cpuperf_set'],
    { since: '6.12', file: EXT, source: 'd86adb4fc065' }),
  ['scx_bpf_task_cgroup', { since: '6.12', file: EXT, source: '819513666966' }],
  ['scx_bpf_cpu_rq', { since: '6.12', file: EXT, source: '6203ef73fa5c' }],
  // the pre-v6.13 names: renamed in v6.13, kept as aliases through v6.16
  ...group(['scx_bpf_dispatch', 'scx_bpf_consume'], { since: '6.12', until: '6.16', file: EXT, source: `${SCX_INITIAL}; ${RENAMED}` }),
  ['scx_bpf_dispatch_vtime', { since: '6.12', until: '6.16', file: EXT, source: `06e51be3d5e7; ${RENAMED}` }],
  ...group(['scx_bpf_dispatch_from_dsq', 'scx_bpf_dispatch_vtime_from_dsq', 'scx_bpf_dispatch_from_dsq_set_slice', 'scx_bpf_dispatch_from_dsq_set_vtime'],
    { since: '6.12', until: '6.16', file: EXT, source: `4c30f5ce4f7a; ${RENAMED}` }),
  // v6.13 renames
  ...group(['scx_bpf_dsq_insert', 'scx_bpf_dsq_insert_vtime'], { since: '6.13', file: EXT, source: 'cc26abb1a19a' }),
  ['scx_bpf_dsq_move_to_local', { since: '6.13', file: EXT, source: '5209c03c8ed2' }],
  ...group(['scx_bpf_dsq_move', 'scx_bpf_dsq_move_vtime', 'scx_bpf_dsq_move_set_slice', 'scx_bpf_dsq_move_set_vtime'],
    { since: '6.13', file: EXT, source: '5cbb302880f5' }),
  ['scx_bpf_now', { since: '6.14', file: EXT, source: '3a9910b5904d' }],
  ['scx_bpf_events', { since: '6.15', file: EXT, source: '17103b8504de; compat.bpf.h "v6.15: Introduce event counters"' }],
  ['scx_bpf_nr_node_ids', { since: '6.15', file: IDLE, source: '0e9b4c10e833' }],
  ...group(['scx_bpf_cpu_node', 'scx_bpf_get_idle_cpumask_node', 'scx_bpf_get_idle_smtmask_node', 'scx_bpf_pick_idle_cpu_node', 'scx_bpf_pick_any_cpu_node'],
    { since: '6.15', file: IDLE, source: '01059219b0cf; compat.bpf.h "v6.15: Introduce NUMA-aware kfuncs"' }),
  ['scx_bpf_select_cpu_and', { since: '6.16', file: IDLE, source: '683d2d0faba1' }],
  ['scx_bpf_cpu_curr', { since: '6.18', file: EXT, source: '20b158094a1a; compat.bpf.h "v6.18: Add a helper to retrieve the current task running on a CPU"' }],
  ['scx_bpf_locked_rq', { since: '6.18', file: EXT, source: 'e0ca169638be' }],
  ...group(['__scx_bpf_select_cpu_and', '__scx_bpf_dsq_insert_vtime'], { since: '6.19', file: EXT, source: 'c0d630ba347c; compat.bpf.h "v6.19: To work around BPF maximum parameter limit"' }),
  ['scx_bpf_dsq_insert___v2', { since: '6.19', file: EXT, source: '2dbbdeda77a6; compat.bpf.h "v6.19: scx_bpf_dsq_insert() now returns bool" (the bool form is ___v2; scx_bpf_dsq_insert stays void in the v7.0-rc2 header)' }],
  ['scx_bpf_reenqueue_local___v2', { since: '6.19', file: EXT, source: 'a3f5d4822253; compat.bpf.h "v6.19: The new void variant can be called from anywhere"' }],
  ...group(['scx_bpf_task_set_slice', 'scx_bpf_task_set_dsq_vtime'], { since: '6.19', file: EXT, source: 'compat.bpf.h "v6.19: scx_bpf_task_set_slice() and scx_bpf_task_set_dsq_vtime() added" (ebpf-docs tags them v6.12 with the first sched_ext commit; compat.bpf.h is followed here)' }),
  ['scx_bpf_dsq_peek', { since: '6.19', file: EXT, source: '44f5c8ec5b9a; compat.bpf.h "v6.19: Introduce lockless peek API"' }],
  // generic BPF kfuncs: all older than sched_ext except where noted
  ...group(['bpf_obj_new_impl', 'bpf_obj_drop_impl'], { since: '6.2', file: HELPERS, source: '958cf2e273f0, ac9f06050a35' }),
  ...group(['bpf_list_pop_front', 'bpf_list_pop_back'], { since: '6.2', file: HELPERS, source: '8cab76ec6349' }),
  ...group(['bpf_list_push_front_impl', 'bpf_list_push_back_impl', 'bpf_rbtree_add_impl'], { since: '6.4', file: HELPERS, source: 'd2dcc67df910' }),
  ['bpf_refcount_acquire_impl', { since: '6.4', file: HELPERS, source: '7c50b1cb76ac' }],
  ...group(['bpf_rbtree_first', 'bpf_rbtree_remove'], { since: '6.3', file: HELPERS, source: 'bd1279ae8a69' }),
  ...group(['bpf_list_front', 'bpf_list_back'], { since: '6.16', file: HELPERS, source: 'fb5b480205ba' }),
  ...group(['bpf_iter_num_new', 'bpf_iter_num_next', 'bpf_iter_num_destroy'], { since: '6.4', file: 'kernel/bpf/bpf_iter.c', source: '06accc8779c1' }),
  ...group(['bpf_iter_bits_new', 'bpf_iter_bits_next', 'bpf_iter_bits_destroy'], { since: '6.11', file: HELPERS, source: '4665415975b0' }),
  ...group(['bpf_iter_css_new', 'bpf_iter_css_next', 'bpf_iter_css_destroy'], { since: '6.7', file: 'kernel/bpf/cgroup_iter.c', source: '7251d0905e75' }),
  ...group(['bpf_res_spin_lock', 'bpf_res_spin_unlock', 'bpf_res_spin_lock_irqsave', 'bpf_res_spin_unlock_irqrestore'],
    { since: '6.15', file: 'kernel/bpf/rqspinlock.c', source: '97eb35f3ad42' }),
  ...group(['bpf_arena_alloc_pages', 'bpf_arena_free_pages'], { since: '6.9', file: 'kernel/bpf/arena.c', source: '317460317a02' }),
  ['bpf_arena_reserve_pages', { since: '6.17', file: 'kernel/bpf/arena.c', source: '8fc3d2d8b501' }],
  ...group([
    'bpf_cpumask_create', 'bpf_cpumask_acquire', 'bpf_cpumask_release', 'bpf_cpumask_first', 'bpf_cpumask_first_zero',
    'bpf_cpumask_set_cpu', 'bpf_cpumask_clear_cpu', 'bpf_cpumask_test_cpu', 'bpf_cpumask_test_and_set_cpu',
    'bpf_cpumask_test_and_clear_cpu', 'bpf_cpumask_setall', 'bpf_cpumask_clear', 'bpf_cpumask_and', 'bpf_cpumask_or',
    'bpf_cpumask_xor', 'bpf_cpumask_equal', 'bpf_cpumask_intersects', 'bpf_cpumask_subset', 'bpf_cpumask_empty',
    'bpf_cpumask_full', 'bpf_cpumask_copy',
  ], { since: '6.3', file: CPUMASK, source: CPUMASK_INITIAL }),
  ...group(['bpf_cpumask_first_and', 'bpf_cpumask_any_distribute', 'bpf_cpumask_any_and_distribute'], { since: '6.5', file: CPUMASK, source: '5ba3a7a851e3, f983be917332' }),
  ['bpf_cpumask_weight', { since: '6.8', file: CPUMASK, source: 'a6de18f310a5' }],
  ['bpf_cpumask_populate', { since: '6.15', file: CPUMASK, source: '950ad93df2fc; compat.bpf.h says v6.15' }],
  ...group(['bpf_preempt_disable', 'bpf_preempt_enable'], { since: '6.10', file: HELPERS, source: 'fc7566ad0a82' }),
  ...group(['bpf_task_acquire', 'bpf_task_release'], { since: '6.2', file: HELPERS, source: '3f00c5239344' }),
  ['bpf_task_from_pid', { since: '6.2', file: HELPERS, source: '3f0e6f2b41d3' }],
  ...group(['bpf_cgroup_acquire', 'bpf_cgroup_release'], { since: '6.2', file: HELPERS, source: 'fda01efc6160' }),
  ['bpf_cgroup_ancestor', { since: '6.2', file: HELPERS, source: '5ca786707829' }],
  ['bpf_cgroup_from_id', { since: '6.4', file: HELPERS, source: '332ea1f697be' }],
  ...group(['bpf_rcu_read_lock', 'bpf_rcu_read_unlock'], { since: '6.2', file: HELPERS, source: '9bb00b2895cb' }),
]);

/** Whether `release` ("6.15") has the kfunc, by the table. */
export function kfuncInRelease(name: string, release: string): boolean {
  const r = KFUNC_RELEASES.get(name);
  if (r === undefined) return false;
  return cmp(release, r.since) >= 0 && (r.until === undefined || cmp(release, r.until) <= 0);
}

function cmp(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am! - bm! || an! - bn!;
}

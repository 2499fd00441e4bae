// Where the simulator attaches a tracing program, by its section — the
// kernel events it models, with their BTF tracepoint arguments
// (TP_PROTO in include/trace/events/sched.h and cgroup.h):
//   tp_btf/sched_switch        (bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state)
//   tp_btf/sched_wakeup        (struct task_struct *p)
//   tp_btf/sched_wakeup_new    (struct task_struct *p)
//   tp_btf/sched_process_exit  (struct task_struct *p)
//   tp_btf/cgroup_attach_task  (struct cgroup *dst_cgrp, const char *path, struct task_struct *task, bool threadgroup)
// Every other tracing program loads but is not attached, with the reason
// (`scxray inspect` lists it).

export const SIM_TRACEPOINTS = ['sched_switch', 'sched_wakeup', 'sched_wakeup_new', 'sched_process_exit', 'cgroup_attach_task'] as const;
export type SimTracepoint = (typeof SIM_TRACEPOINTS)[number];

const WHY_NOT: Record<string, string> = {
  sched_process_fork: 'the simulator does not model which task forked another (the tracepoint\'s parent argument)',
  cgroup_mkdir: 'the simulator creates every cgroup before the scheduler loads, so no cgroup_mkdir happens while it is attached',
  cgroup_rmdir: 'the simulator never removes a cgroup',
};

/** The modelled event a tracing section attaches to, or why it is not attached. */
export function tracingAttach(section: string): { event: SimTracepoint } | { refusal: string } {
  const m = /^(tp_btf|fentry|fexit|fmod_ret|lsm|iter|raw_tp|raw_tracepoint|tp|tracepoint|kprobe|kretprobe|uprobe|usdt)(\.s)?\/(.*)$/.exec(section);
  if (m === null) return { refusal: `section "${section}" is not a program type the simulator attaches` };
  const kind = m[1]!;
  // a trailing '?' makes attaching optional in libbpf
  const target = m[3]!.replace(/\?$/, '');
  if (kind === 'tp_btf' || kind === 'raw_tp' || kind === 'raw_tracepoint') {
    if ((SIM_TRACEPOINTS as readonly string[]).includes(target)) {
      if (kind !== 'tp_btf') return { refusal: `${kind}/${target}: only BTF-typed tracepoints (tp_btf/${target}) are attached` };
      return { event: target as SimTracepoint };
    }
    const why = WHY_NOT[target] ?? `the simulator has no ${target} event`;
    return { refusal: `${section}: not attached: ${why} (attached tracepoints: ${SIM_TRACEPOINTS.join(', ')})` };
  }
  if (kind === 'fentry' || kind === 'fexit' || kind === 'fmod_ret' || kind === 'kprobe' || kind === 'kretprobe' || kind === 'lsm') {
    return { refusal: `${section}: not attached: ${kind} programs hook kernel function ${target}, which the simulated kernel does not run` };
  }
  return { refusal: `${section}: not attached: the simulator does not run ${kind} programs` };
}

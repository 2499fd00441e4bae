// Offsets of the kernel fields the simulator reads and writes, taken from the
// kernel BTF once, so task_struct and friends in VM memory have exactly the
// layout CO-RE relocated the scheduler against.

import type { Btf } from '../../sched_ext/btf/btf';

function off(btf: Btf, struct: string, path: string): number {
  return btf.memberPath(struct, path).offset;
}

function hasStruct(btf: Btf, name: string): boolean {
  return btf.findByName(name, 'struct') !== undefined;
}

function sizeOfStruct(btf: Btf, name: string): number {
  const t = btf.findByName(name, 'struct');
  if (t === undefined) throw new Error(`kernel BTF has no struct ${name}`);
  return btf.sizeOf(t.id);
}

export interface TaskLayout {
  size: number;
  state: number;
  flags: number;
  onCpu: number;
  cpu: number;
  tiCpu: number;
  wakeCpu: number;
  onRq: number;
  prio: number;
  staticPrio: number;
  normalPrio: number;
  policy: number;
  nrCpusAllowed: number;
  cpusPtr: number;
  cpusMask: number;
  pid: number;
  tgid: number;
  comm: number;
  commLen: number;
  cgroups: number;
  realParent: number;
  parent: number;
  groupLeader: number;
  startTime: number;
  seLoadWeight: number;
  scxDsqSeq: number;
  scxFlags: number;
  scxWeight: number;
  scxStickyCpu: number;
  scxSelectedCpu: number;
  scxOpsState: number;
  scxRunnableAt: number;
  scxDdspDsqId: number;
  scxDdspEnqFlags: number;
  scxSlice: number;
  scxDsqVtime: number;
  scxDisallow: number;
}

export interface RqLayout {
  size: number;
  nrRunning: number;
  cpu: number;
  clock: number;
  clockTask: number;
  clockPelt: number;
  cpuCapacity: number;
  curr: number;
  idle: number;
}

export interface KernelLayout {
  task: TaskLayout;
  cpumaskSize: number;
  cgroup: { size: number; level: number; ancestors: number; kn: number; selfCgroup: number; selfId: number; selfParent: number };
  /** Absent when the kernel BTF only has a forward declaration (cgroup ids then come from self.id). */
  kernfsNode?: { size: number; id: number; name: number; parent: number };
  cssSet?: { size: number; dflCgrp: number };
  /** struct rq (scx_bpf_cpu_rq); absent from kernel BTF without it. */
  rq?: RqLayout;
  exitInfo: { size: number; kind: number; exitCode: number; reason: number; msg: number; dump: number };
  initTaskArgs: { size: number; fork: number; cgroup: number };
  exitTaskArgs: { size: number; cancelled: number };
  cgroupInitArgs: { size: number; weight: number };
  cpuReleaseArgs: { size: number; reason: number; task: number };
  dumpCtx: { size: number; kind: number; exitCode: number; reason: number; atNs: number; atJiffies: number };
}

export function kernelLayout(btf: Btf): KernelLayout {
  const t = (p: string) => off(btf, 'task_struct', p);
  const comm = btf.memberPath('task_struct', 'comm');
  const task: TaskLayout = {
    size: sizeOfStruct(btf, 'task_struct'),
    state: t('__state'),
    flags: t('flags'),
    onCpu: t('on_cpu'),
    cpu: t('cpu'),
    tiCpu: t('thread_info.cpu'),
    wakeCpu: t('wake_cpu'),
    onRq: t('on_rq'),
    prio: t('prio'),
    staticPrio: t('static_prio'),
    normalPrio: t('normal_prio'),
    policy: t('policy'),
    nrCpusAllowed: t('nr_cpus_allowed'),
    cpusPtr: t('cpus_ptr'),
    cpusMask: t('cpus_mask'),
    pid: t('pid'),
    tgid: t('tgid'),
    comm: comm.offset,
    commLen: comm.size,
    cgroups: t('cgroups'),
    realParent: t('real_parent'),
    parent: t('parent'),
    groupLeader: t('group_leader'),
    startTime: t('start_time'),
    seLoadWeight: t('se.load.weight'),
    scxDsqSeq: t('scx.dsq_seq'),
    scxFlags: t('scx.flags'),
    scxWeight: t('scx.weight'),
    scxStickyCpu: t('scx.sticky_cpu'),
    scxSelectedCpu: t('scx.selected_cpu'),
    scxOpsState: t('scx.ops_state'),
    scxRunnableAt: t('scx.runnable_at'),
    scxDdspDsqId: t('scx.ddsp_dsq_id'),
    scxDdspEnqFlags: t('scx.ddsp_enq_flags'),
    scxSlice: t('scx.slice'),
    scxDsqVtime: t('scx.dsq_vtime'),
    scxDisallow: t('scx.disallow'),
  };
  return {
    task,
    cpumaskSize: sizeOfStruct(btf, 'cpumask'),
    cgroup: {
      size: sizeOfStruct(btf, 'cgroup'),
      level: off(btf, 'cgroup', 'level'),
      ancestors: off(btf, 'cgroup', 'ancestors'),
      kn: off(btf, 'cgroup', 'kn'),
      selfCgroup: off(btf, 'cgroup', 'self.cgroup'),
      selfId: off(btf, 'cgroup', 'self.id'),
      selfParent: off(btf, 'cgroup', 'self.parent'),
    },
    kernfsNode: hasStruct(btf, 'kernfs_node')
      ? {
          size: sizeOfStruct(btf, 'kernfs_node'),
          id: off(btf, 'kernfs_node', 'id'),
          name: off(btf, 'kernfs_node', 'name'),
          parent: off(btf, 'kernfs_node', 'parent'),
        }
      : undefined,
    cssSet: hasStruct(btf, 'css_set') ? { size: sizeOfStruct(btf, 'css_set'), dflCgrp: off(btf, 'css_set', 'dfl_cgrp') } : undefined,
    rq: hasStruct(btf, 'rq')
      ? {
          size: sizeOfStruct(btf, 'rq'),
          nrRunning: off(btf, 'rq', 'nr_running'),
          cpu: off(btf, 'rq', 'cpu'),
          clock: off(btf, 'rq', 'clock'),
          clockTask: off(btf, 'rq', 'clock_task'),
          clockPelt: off(btf, 'rq', 'clock_pelt'),
          cpuCapacity: off(btf, 'rq', 'cpu_capacity'),
          curr: off(btf, 'rq', 'curr'),
          idle: off(btf, 'rq', 'idle'),
        }
      : undefined,
    exitInfo: {
      size: sizeOfStruct(btf, 'scx_exit_info'),
      kind: off(btf, 'scx_exit_info', 'kind'),
      exitCode: off(btf, 'scx_exit_info', 'exit_code'),
      reason: off(btf, 'scx_exit_info', 'reason'),
      msg: off(btf, 'scx_exit_info', 'msg'),
      dump: off(btf, 'scx_exit_info', 'dump'),
    },
    initTaskArgs: {
      size: sizeOfStruct(btf, 'scx_init_task_args'),
      fork: off(btf, 'scx_init_task_args', 'fork'),
      cgroup: off(btf, 'scx_init_task_args', 'cgroup'),
    },
    exitTaskArgs: { size: sizeOfStruct(btf, 'scx_exit_task_args'), cancelled: off(btf, 'scx_exit_task_args', 'cancelled') },
    cgroupInitArgs: { size: sizeOfStruct(btf, 'scx_cgroup_init_args'), weight: off(btf, 'scx_cgroup_init_args', 'weight') },
    cpuReleaseArgs: {
      size: sizeOfStruct(btf, 'scx_cpu_release_args'),
      reason: off(btf, 'scx_cpu_release_args', 'reason'),
      task: off(btf, 'scx_cpu_release_args', 'task'),
    },
    dumpCtx: {
      size: sizeOfStruct(btf, 'scx_dump_ctx'),
      kind: off(btf, 'scx_dump_ctx', 'kind'),
      exitCode: off(btf, 'scx_dump_ctx', 'exit_code'),
      reason: off(btf, 'scx_dump_ctx', 'reason'),
      atNs: off(btf, 'scx_dump_ctx', 'at_ns'),
      atJiffies: off(btf, 'scx_dump_ctx', 'at_jiffies'),
    },
  };
}

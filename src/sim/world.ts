// The simulated world: a machine, the sched_ext core bound to a scheduler,
// cgroups and the workload's tasks. Simulation (simulation.ts) builds one
// around a loaded BPF object; rule tests build one around a TypeScript
// SchedOps.

import type { AddressSpace } from '../sched_ext/vm/memory';
import type { KernelEnv } from '../sched_ext/loader/kernel_env';
import type { MachineSpec } from '../model/events';
import { KernelMemory } from './kernel/kernel_memory';
import { kernelLayout } from './kernel/layout';
import { OpsFlag, scxWeightFromNice } from './kernel/consts';
import { ScxCore } from './core/scx_core';
import { runqueuesOf } from './kernel/runqueues';
import type { SchedOps } from './core/sched_ops';
import { SimTask } from './core/task';
import { SimCgroup } from './core/cgroup';
import { Machine, TICK_NS, type TaskDriver } from './machine';
import { Rng } from './workload/rng';
import { CGROUP_SET_BANDWIDTH_SINCE, CGROUP_SET_IDLE_SINCE, QUOTA_MAX, setCgroupBandwidth, setCgroupIdle } from './core/cgroup_files';
import { compareKernelVersions } from './kernel/kernel_env';
import {
  enableScheduler, initAndEnableTask, moveTaskCgroup, reweightOther, setCgroupWeight, setTaskAffinity, setTaskWeight, wakeNewTask,
} from './core/lifecycle';
import { TaskBehaviour, type BehaviourHost } from './workload/behaviour';
import { parseCpuList, type Workload, type WorkloadGroup } from './workload/schema';
import { checkInitialTasks } from './workload/limits';
import { MAX_TASKS } from '../base/limits';
import type { SimCpu } from './core/cpu';
import { setCpuOnline } from './core/hotplug';

export interface WorldOptions {
  ops: SchedOps;
  space: AddressSpace;
  kernel: KernelEnv;
  workload: Workload;
  machine: MachineSpec;
  seed: number;
  /** A behaviour other than the workload's for some tasks (a setup module's userTask bodies). */
  behaviourFor?: (spec: WorkloadGroup, index: number, pid: number, now: number, seed: number) => TaskBehaviour | undefined;
}

export class World implements TaskDriver {
  readonly machine = new Machine();
  readonly core: ScxCore;
  readonly mem: KernelMemory;
  private nextPid = 1;
  /** Pids of imported workloads' traced tasks (group.trace.pid): kept for them, skipped by the others. */
  private readonly tracedPids = new Set<number>();
  private readonly usedPids = new Set<number>();
  private readonly groups = new Map<string, { spec: WorkloadGroup; members: SimTask[] }>();
  private readonly cgroupByPath = new Map<string, SimCgroup>();
  private started = false;
  private readonly hosts = new WeakMap<SimTask, BehaviourHost>();
  /** Tasks created and not exited: forks stop at MAX_TASKS. */
  private liveTasks = 0;

  constructor(readonly opts: WorldOptions) {
    this.mem = new KernelMemory(opts.space, kernelLayout(opts.kernel.btf));
    const m = this.machine;
    this.core = new ScxCore(opts.ops, this.mem, opts.machine, {
      now: () => m.now,
      resched: (cpu) => m.resched(cpu),
      queueKickWork: (cpu) => m.queueKickWork(cpu),
      reschedNow: (cpu) => m.reschedNow(cpu),
      listening: () => m.listening(),
      emit: (ev) => m.emit(ev),
    });
    this.machine.core = this.core;
    this.machine.driver = this;
    if (opts.workload.timing?.tickPhase) {
      // stream -1: apart from every task's (seed, pid) stream
      const rng = new Rng(opts.seed, -1);
      this.machine.tickPhase = this.core.cpus.map(() => Math.floor(rng.next() * TICK_NS));
    }
    for (const g of opts.workload.groups) {
      this.groups.set(g.name, { spec: g, members: [] });
      if (g.trace && g.trace.pid > 0) this.tracedPids.add(g.trace.pid);
    }
    checkInitialTasks(opts.workload.groups, (g) => this.groupCount(g), opts.workload.name);
    this.makeCgroup('/', 100);
    for (const cg of opts.workload.cgroups) this.makeCgroup(cg.path, cg.weight);
  }

  taskOfPtr(ptr: bigint): SimTask | undefined {
    const payload = this.mem.space.regionOfHi(Number(ptr >> 32n))?.payload;
    return payload instanceof SimTask ? payload : undefined;
  }

  cgroupOfPtr(ptr: bigint): SimCgroup | undefined {
    const payload = this.mem.space.regionOfHi(Number(ptr >> 32n))?.payload;
    return payload instanceof SimCgroup ? payload : undefined;
  }

  get now(): number {
    return this.machine.now;
  }

  /** The workload group of every task created so far (alive or exited), by pid: what the library API's group queries use. */
  groupOfPid(): Map<number, string> {
    const out = new Map<number, string>();
    for (const [name, g] of this.groups) for (const t of g.members) out.set(t.pid, name);
    return out;
  }

  /** Create the tasks that exist at load, enable the scheduler (ops.init, init_task, enable), start them. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const cpu of this.core.cpus) this.core.idle.set(cpu.id, true);
    const initial: SimTask[] = [];
    for (const { spec } of this.groups.values()) {
      if (spec.template) continue;
      for (let i = 0; i < this.groupCount(spec); i++) {
        const at = spec.start + i * spec.stagger;
        if (at === 0) initial.push(this.createTask(spec, i));
        else this.machine.queue.push(at, { k: 'spawn', spawn: () => this.forkTask(spec, i) });
      }
    }
    for (const h of this.opts.workload.hotplug) {
      if (h.cpu >= this.core.cpus.length) continue;
      this.machine.queue.push(h.at, { k: 'spawn', spawn: () => setCpuOnline(this.core, h.cpu, h.online, (c) => this.machine.resched(c)) });
    }
    enableScheduler(this.core);
    for (const p of initial) initAndEnableTask(this.core, p, false);
    for (const p of initial) this.begin(p);
    this.machine.startWatchdog();
  }

  private groupCount(spec: WorkloadGroup): number {
    return spec.perCpu !== undefined ? Math.round(spec.perCpu * this.core.cpus.length) : spec.count;
  }

  private makeCgroup(path: string, weight: number): SimCgroup {
    const parentPath = path === '/' ? null : path.slice(0, path.lastIndexOf('/')) || '/';
    const parent = parentPath === null ? null : this.cgroupByPath.get(parentPath) ?? this.makeCgroup(parentPath, 100);
    const lay = this.mem.layout.cgroup;
    const level = parent ? parent.level + 1 : 0;
    const region = this.mem.alloc(`cgroup ${path}`, lay.size + 8 * (level + 1));
    const id = this.cgroupByPath.size + 1;
    const cg = new SimCgroup(path, id, weight, parent, region, this.mem.pointer(region));
    region.payload = cg;
    region.view.setInt32(lay.level, level, true);
    region.view.setBigUint64(lay.selfCgroup, cg.ptr, true);
    region.view.setInt32(lay.selfId, id, true);
    if (parent) region.view.setBigUint64(lay.selfParent, parent.ptr, true);
    cg.ancestors().forEach((a, i) => region.view.setBigUint64(lay.ancestors + 8 * i, a.ptr, true));
    const kn = this.mem.layout.kernfsNode;
    if (kn) {
      const knr = this.mem.alloc(`kernfs_node ${path}`, kn.size);
      knr.view.setBigUint64(kn.id, BigInt(id), true);
      // the directory's name (the root's is empty, as kernfs names its root "") and its parent directory
      const name = path === '/' ? '' : path.slice(path.lastIndexOf('/') + 1);
      knr.view.setBigUint64(kn.name, this.mem.pointer(this.mem.allocString(`kernfs_node ${path} name`, name)), true);
      if (parent) knr.view.setBigUint64(kn.parent, parent.region.view.getBigUint64(lay.kn, true), true);
      region.view.setBigUint64(lay.kn, this.mem.pointer(knr), true);
    }
    cg.cssSet = this.mem.allocCssSet(path, cg.ptr);
    this.cgroupByPath.set(path, cg);
    this.core.cgroups.push(cg);
    return cg;
  }

  /** The next free pid; a task replaying a traced one keeps its pid, so both timelines name and colour it alike. */
  private pidFor(spec: WorkloadGroup): number {
    const traced = spec.trace?.pid;
    let pid: number;
    if (traced !== undefined && traced > 0 && !this.usedPids.has(traced)) pid = traced;
    else {
      while (this.usedPids.has(this.nextPid) || this.tracedPids.has(this.nextPid)) this.nextPid++;
      pid = this.nextPid++;
    }
    if (this.tracedPids.size > 0) this.usedPids.add(pid);
    return pid;
  }

  private createTask(spec: WorkloadGroup, index: number): SimTask {
    this.liveTasks++;
    const pid = this.pidFor(spec);
    const comm = (spec.comm ?? `${spec.name}-${index}`).slice(0, 15);
    const weight = scxWeightFromNice(spec.nice);
    const nrCpus = this.core.cpus.length;
    const holder: { task?: SimTask } = {};
    const region = this.mem.allocTask({ pid, comm, nice: spec.nice, weight }, holder);
    this.mem.writeTaskFamily(region, runqueuesOf(this.core).idleTask(0));
    const p = new SimTask(pid, comm, weight, spec.nice, region, this.mem.pointer(region), this.mem.layout.task, nrCpus);
    region.payload = p;
    const allowed = spec.cpus !== undefined ? parseCpuList(spec.cpus, nrCpus) : new Uint8Array(nrCpus).fill(1);
    if (!allowed.includes(1)) allowed.fill(1);
    p.allowed.set(allowed);
    p.nrAllowed = allowed.reduce((a, b) => a + b, 0);
    this.mem.writeTaskAffinity(region, p.allowed);
    p.cpu = (pid - 1) % nrCpus;
    if (!p.isAllowed(p.cpu)) p.cpu = p.firstAllowed();
    p.syncCpu();
    p.cgroup = spec.cgroup ? this.cgroupByPath.get(spec.cgroup) ?? null : this.cgroupByPath.get('/')!;
    if (p.cgroup) this.mem.writeTaskCgroup(region, p.cgroup.cssSet);
    p.behaviour = this.opts.behaviourFor?.(spec, index, pid, this.machine.now, this.opts.seed) ?? new TaskBehaviour(spec, index, this.machine.now, this.opts.seed, pid, this.opts.workload.timing?.jitter ?? 0);
    // SCX_OPS_SWITCH_PARTIAL: only SCHED_EXT tasks join the BPF scheduler
    p.fair = spec.policy === 'normal' && (this.opts.ops.flags & OpsFlag.SWITCH_PARTIAL) !== 0n;
    if (p.fair) region.view.setUint32(this.mem.layout.task.policy, 0, true);
    this.core.tasks.set(pid, p);
    this.groups.get(spec.name)!.members.push(p);
    this.machine.emit({ t: this.now, kind: 'task_new', pid, comm, weight, cgroup: p.cgroup?.path });
    return p;
  }

  /** A task appears after load: init_task(fork), enable, then wake_up_new_task. */
  forkTask(spec: WorkloadGroup, index: number): SimTask {
    const p = this.createTask(spec, index);
    initAndEnableTask(this.core, p, true);
    this.begin(p);
    return p;
  }

  private begin(p: SimTask): void {
    if (p.behaviour?.waiting) {
      this.core.setTaskState(p, 'sleeping');
      return;
    }
    wakeNewTask(this.core, p);
  }

  // ---- TaskDriver --------------------------------------------------------

  onBurstDone(p: SimTask, cpu: SimCpu): void {
    const b = p.behaviour!;
    let host = this.hosts.get(p);
    if (!host) {
      host = this.behaviourHost(p);
      this.hosts.set(p, host);
    }
    const act = b.advance(host);
    switch (act.kind) {
      case 'run':
        this.machine.queue.push(this.now + act.ns, { k: 'burst', cpu: cpu.id, gen: cpu.gen });
        return;
      case 'sleep':
        return this.machine.block(p, cpu, act.ns);
      case 'wait':
        return this.machine.block(p, cpu);
      case 'yield':
        return this.machine.yield(p);
      case 'exit':
        this.liveTasks--;
        return this.machine.exit(p, cpu);
    }
  }

  private behaviourHost(p: SimTask): BehaviourHost {
    return {
      now: () => this.now,
      wake: (group, which, index) => {
        const members = this.groups.get(group)?.members.filter((t) => t.state !== 'exited') ?? [];
        const targets = which === 'all' ? members : which === 'next' ? [members[(index + 1) % Math.max(1, members.length)]] : [members.find((t) => t.behaviour?.index === index)];
        for (const t of targets) if (t && t !== p && t.behaviour?.deliverWake()) this.machine.wakeTask(t);
      },
      fork: (group, count) => {
        const g = this.groups.get(group);
        if (!g) return;
        // Like fork() failing with EAGAIN at RLIMIT_NPROC: past MAX_TASKS live tasks the fork does not happen.
        for (let i = 0; i < count && this.liveTasks < MAX_TASKS; i++) this.forkTask(g.spec, g.members.length);
      },
      nice: (nice) => {
        p.nice = nice;
        setTaskWeight(this.core, p, scxWeightFromNice(nice));
      },
      renice: (group, nice) => {
        for (const t of this.groups.get(group)?.members ?? []) {
          if (t === p || t.state === 'exited') continue;
          t.nice = nice;
          reweightOther(this.core, t, scxWeightFromNice(nice));
        }
      },
      affinity: (cpus) => setTaskAffinity(this.core, p, parseCpuList(cpus, this.core.cpus.length)),
      moveCgroup: (path) => {
        const to = this.cgroupByPath.get(path);
        if (to) moveTaskCgroup(this.core, p, to);
      },
      setCgroupWeight: (path, weight) => {
        const cg = this.cgroupByPath.get(path);
        if (cg) setCgroupWeight(this.core, cg, weight);
      },
      setCgroupBandwidth: (path, quotaUs, periodUs, burstUs) => {
        const cg = this.cgroupByPath.get(path);
        const hasOp = compareKernelVersions(this.opts.kernel.version, CGROUP_SET_BANDWIDTH_SINCE) >= 0;
        if (cg) setCgroupBandwidth(this.core, cg, hasOp, BigInt(periodUs), quotaUs === 'max' ? QUOTA_MAX : BigInt(quotaUs), BigInt(burstUs));
      },
      setCgroupIdle: (path, idle) => {
        const cg = this.cgroupByPath.get(path);
        if (cg) setCgroupIdle(this.core, cg, compareKernelVersions(this.opts.kernel.version, CGROUP_SET_IDLE_SINCE) >= 0, idle);
      },
    };
  }
}

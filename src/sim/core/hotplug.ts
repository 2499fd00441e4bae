// CPU hotplug (ext.c handle_hotplug): ops.cpu_online/cpu_offline when the
// scheduler implements them, otherwise the scheduler is exited with
// SCX_EXIT_UNREG_KERN and SCX_ECODE_ACT_RESTART | SCX_ECODE_RSN_HOTPLUG so its
// user space can restart it. An offline CPU runs nothing: its tasks move to
// online CPUs (breaking affinity if they must, like select_fallback_rq()).

import { ExitKind, KfMask } from '../kernel/consts';
import type { ScxCore } from './scx_core';
import type { SimTask } from './task';

const ECODE_RSN_HOTPLUG = 1n << 32n;
const ECODE_ACT_RESTART = 1n << 48n;

export function setCpuOnline(core: ScxCore, cpuId: number, online: boolean, reschedule: (cpu: number) => void): void {
  const cpu = core.cpus[cpuId];
  if (!cpu || cpu.online === online) return;
  const op = online ? 'cpu_online' : 'cpu_offline';
  if (core.has(op)) core.callOp(op, cpuId, KfMask.UNLOCKED, [BigInt(cpuId)]);
  else if (!core.bypass) {
    core.exit(ExitKind.UNREG_KERN, `cpu ${cpuId} going ${online ? 'online' : 'offline'}, exiting scheduler`, {}, ECODE_ACT_RESTART | ECODE_RSN_HOTPLUG);
  }
  cpu.online = online;
  if (online) {
    core.idle.set(cpuId, true);
    reschedule(cpuId);
    return;
  }
  core.idle.set(cpuId, false);
  // everything queued on or running on the CPU migrates to an online CPU
  const movers: SimTask[] = [...cpu.local.tasks];
  if (cpu.curr) {
    core.updateCurr(cpu);
    if (core.has('stopping')) core.callOp('stopping', cpuId, KfMask.REST, [cpu.curr.ptr, 1n], cpu.curr.pid, null, true);
    movers.unshift(cpu.curr);
    cpu.curr.syncOnCpu(false);
    const prevPid = cpu.curr.pid;
    cpu.curr = null;
    cpu.gen++;
    if (core.host.listening()) {
      core.host.emit({ t: core.now(), kind: 'switch', cpu: cpuId, prevPid, nextPid: 0 });
      core.host.emit({ t: core.now(), kind: 'idle', cpu: cpuId, idle: true });
    }
  }
  for (const p of movers) {
    if (p.dsq) core.removeFromDsq(p, 'dequeue');
    core.setTaskState(p, 'runnable');
    p.readySince = core.now();
    core.setTaskCpu(p, fallbackCpu(core, p));
    core.doEnqueue(p, 0n);
    reschedule(p.cpu);
  }
}

/**
 * select_fallback_rq(): an allowed online CPU; when none is left the task's
 * affinity is widened to every CPU (the kernel's cpuset fallback).
 */
export function fallbackCpu(core: ScxCore, p: SimTask): number {
  for (const c of core.cpus) if (c.online && p.isAllowed(c.id)) return c.id;
  p.allowed.fill(1);
  p.nrAllowed = p.allowed.length;
  core.mem.writeTaskAffinity(p.region, p.allowed);
  for (const c of core.cpus) if (c.online) return c.id;
  return p.cpu;
}

// The error exit (ext.c scx_vexit → scx_error_irq_workfn → scx_disable_workfn):
// dump on errors (ops.dump, dump_cpu, dump_task), then every task leaves the
// scheduler (ops.disable, ops.exit_task), cgroups are released
// (ops.cgroup_exit), and ops.exit receives the exit info. Tasks in the BPF
// scheduler's hands move to the built-in fallback policy.

import { ExitKind, KfMask } from '../kernel/consts';
import { disableAndExitTask } from './lifecycle';
import type { ScxCore } from './scx_core';
import { OpsState } from './task';

export function ejectScheduler(core: ScxCore): void {
  const info = core.exitPending;
  if (!info || core.disabled) return;
  const kind = (ExitKind as Record<string, number>)[info.kind.replace(/^SCX_EXIT_/, '')] ?? ExitKind.ERROR;
  const lay = core.mem.layout;
  const reason = core.mem.allocString('scx_exit_info.reason', info.reason);
  const msg = core.mem.allocString('scx_exit_info.msg', info.message, 1024);
  const now = core.now();

  if (kind >= ExitKind.ERROR) {
    const ctx = core.mem.alloc('scx_dump_ctx', lay.dumpCtx.size);
    ctx.view.setUint32(lay.dumpCtx.kind, kind, true);
    ctx.view.setBigInt64(lay.dumpCtx.exitCode, core.exitCode, true);
    ctx.view.setBigUint64(lay.dumpCtx.reason, core.mem.pointer(reason), true);
    ctx.view.setBigUint64(lay.dumpCtx.atNs, BigInt(now), true);
    ctx.view.setBigUint64(lay.dumpCtx.atJiffies, BigInt(Math.floor(now / 1_000_000)), true);
    const cp = core.mem.pointer(ctx);
    const call = (op: 'dump' | 'dump_cpu' | 'dump_task', args: bigint[], pid = -1) => {
      if (core.ops.has(op)) core.callOp(op, 0, KfMask.UNLOCKED, args, pid, null, true);
    };
    call('dump', [cp]);
    for (const cpu of core.cpus) call('dump_cpu', [cp, BigInt(cpu.id), cpu.curr === null ? 1n : 0n]);
    for (const p of core.tasks.values()) if (p.queued) call('dump_task', [cp, p.ptr], p.pid);
  }

  // scx_bypass(): everything the scheduler held goes to the fallback queue
  core.disabled = true;
  const held = [...core.tasks.values()].filter((p) => p.queued && core.cpus[p.cpu]!.curr !== p);
  for (const p of held) {
    if (p.dsq) p.dsq.remove(p);
    p.opsState = OpsState.NONE;
    core.doEnqueue(p, 0n);
  }
  for (const p of core.tasks.values()) if (p.state !== 'exited') disableAndExitTask(core, p, false);
  for (const cg of [...core.cgroups].reverse()) {
    if (cg.initialized && core.ops.has('cgroup_exit')) core.callOp('cgroup_exit', 0, KfMask.UNLOCKED, [cg.ptr], -1, null, true);
    cg.initialized = false;
  }
  if (core.ops.has('exit')) {
    const ei = core.mem.alloc('scx_exit_info', lay.exitInfo.size);
    ei.view.setUint32(lay.exitInfo.kind, kind, true);
    ei.view.setBigInt64(lay.exitInfo.exitCode, core.exitCode, true);
    ei.view.setBigUint64(lay.exitInfo.reason, core.mem.pointer(reason), true);
    ei.view.setBigUint64(lay.exitInfo.msg, core.mem.pointer(msg), true);
    if (core.dumpLines.length > 0) {
      const dump = core.mem.allocString('scx_exit_info.dump', core.dumpLines.join(''), Math.max(1, core.ops.exitDumpLen || 32768));
      ei.view.setBigUint64(lay.exitInfo.dump, core.mem.pointer(dump), true);
    }
    core.callOp('exit', 0, KfMask.UNLOCKED, [core.mem.pointer(ei)], -1, null, true);
  }
  core.exitInfo = info;
  core.host.emit({ t: now, kind: 'exit', exit: info });
  // every CPU re-runs its pick under the fallback policy; like task_tick_scx()
  // in bypass mode, running slices end (an SCX_SLICE_INF task would never yield)
  for (const cpu of core.cpus) {
    if (cpu.curr) cpu.curr.slice = 0n;
    core.host.resched(cpu.id);
  }
}

// Writes to a cgroup's cpu controller files other than cpu.weight, and the
// ops the kernel calls for them (kernel/sched/ext.c):
//   cpu.max / cpu.max.burst → scx_group_set_bandwidth() → ops.cgroup_set_bandwidth
//     (v6.17+), only when period, quota or burst changed; a quota of "max"
//     (no limit) is passed as U64_MAX (RUNTIME_INF)
//   cpu.idle → scx_group_set_idle() → ops.cgroup_set_idle (v6.19+)
// Neither changes how the simulated machine runs tasks: CFS bandwidth
// throttling and SCHED_IDLE groups are the BPF scheduler's business under
// sched_ext, which is why the kernel tells it.

import { KfMask } from '../kernel/consts';
import type { SimCgroup } from './cgroup';
import type { ScxCore } from './scx_core';

/** First releases whose struct sched_ext_ops has each op. */
export const CGROUP_SET_BANDWIDTH_SINCE = '6.17.0';
export const CGROUP_SET_IDLE_SINCE = '6.19.0';

export const QUOTA_MAX = 0xffff_ffff_ffff_ffffn;

/** A cgroup's cpu.max and cpu.idle as last written (the kernel keeps them in tg->scx). */
export interface CgroupCpuFiles {
  periodUs: bigint;
  quotaUs: bigint;
  burstUs: bigint;
  idle: boolean;
}

const files = new WeakMap<SimCgroup, CgroupCpuFiles>();

export function cpuFilesOf(cg: SimCgroup): CgroupCpuFiles {
  let f = files.get(cg);
  // the defaults of a new cgroup: cpu.max "max 100000", no burst, not idle
  if (!f) files.set(cg, (f = { periodUs: 100_000n, quotaUs: QUOTA_MAX, burstUs: 0n, idle: false }));
  return f;
}

/** scx_group_set_bandwidth(): ops.cgroup_set_bandwidth(cgrp, period_us, quota_us, burst_us) when something changed. */
export function setCgroupBandwidth(core: ScxCore, cg: SimCgroup, hasOp: boolean, periodUs: bigint, quotaUs: bigint, burstUs: bigint): void {
  const f = cpuFilesOf(cg);
  if (f.periodUs === periodUs && f.quotaUs === quotaUs && f.burstUs === burstUs) return;
  if (hasOp && core.has('cgroup_set_bandwidth')) {
    core.callOp('cgroup_set_bandwidth', 0, KfMask.UNLOCKED, [cg.ptr, periodUs, quotaUs, burstUs], -1, null, true);
  }
  f.periodUs = periodUs;
  f.quotaUs = quotaUs;
  f.burstUs = burstUs;
}

/** scx_group_set_idle(): ops.cgroup_set_idle(cgrp, idle). */
export function setCgroupIdle(core: ScxCore, cg: SimCgroup, hasOp: boolean, idle: boolean): void {
  if (hasOp && core.has('cgroup_set_idle')) core.callOp('cgroup_set_idle', 0, KfMask.UNLOCKED, [cg.ptr, idle ? 1n : 0n], -1, null, true);
  cpuFilesOf(cg).idle = idle;
}

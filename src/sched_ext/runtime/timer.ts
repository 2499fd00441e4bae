// bpf_timer (helpers 169–172; kernel/bpf/helpers.c): a timer lives in a map
// value; init ties it to the map, set_callback names the BPF function, start
// arms it in virtual time through the host (BPF_F_TIMER_ABS for an absolute
// time, BPF_F_TIMER_CPU_PIN to fire on the arming CPU), cancel disarms it.
// When it fires, callback(map, key, value) runs as its own program run.
// Freeing the value cancels the timer (bpf_obj_free_fields → bpf_timer_cancel_and_free).

import type { NativeEnv } from '../vm/abi';
import { BpfFault } from '../vm/fault';
import type { SpecialField } from '../btf/special_fields';
import type { RuntimeCore } from './core';
import { EBUSY, EDEADLK, EINVAL, EOPNOTSUPP } from './errno';
import { fieldAt, type FieldHost } from './layout';
import { ValueCell } from './maps/map';
import { helper, type HelperTable } from './natives';

export const TimerHelper = { init: 169, setCallback: 170, start: 171, cancel: 172 } as const;
export const BPF_F_TIMER_ABS = 1n;
export const BPF_F_TIMER_CPU_PIN = 2n;

/** Runs a BPF function by pointer as a top-level run (the runtime provides it). */
export type CallbackInvoker = (fn: bigint, args: readonly bigint[], why: string) => void;

interface TimerState {
  cell: ValueCell;
  offset: number;
  callback: bigint;
  cancel: (() => void) | undefined;
  firing: boolean;
}

export class Timers {
  private readonly timers = new Map<string, TimerState>();

  constructor(
    private readonly core: RuntimeCore,
    private readonly invoke: CallbackInvoker,
  ) {
    core.timerDrain = (host, field) => this.drain(host, field);
  }

  /** Armed timers, for tests and snapshots. */
  armed(): number {
    let n = 0;
    for (const t of this.timers.values()) if (t.cancel !== undefined) n++;
    return n;
  }

  register(h: HelperTable): void {
    helper(h, TimerHelper.init, (env) => {
      const { key, cell, offset } = this.timerArg(env, 'bpf_timer_init');
      // flags is the clock: CLOCK_REALTIME (0), CLOCK_MONOTONIC (1) or CLOCK_BOOTTIME (7); all read virtual time here.
      const clock = env.arg(3);
      if (clock !== 0n && clock !== 1n && clock !== 7n) return -EINVAL;
      if (this.timers.has(key)) return -EBUSY;
      this.timers.set(key, { cell, offset, callback: 0n, cancel: undefined, firing: false });
      cell.region.view.setBigUint64(offset, BigInt(cell.region.id), true);
      return 0;
    });
    helper(h, TimerHelper.setCallback, (env) => {
      const t = this.timers.get(this.timerArg(env, 'bpf_timer_set_callback').key);
      if (t === undefined) return -EINVAL;
      t.callback = env.arg(2);
      return 0;
    });
    helper(h, TimerHelper.start, (env) => {
      const t = this.timers.get(this.timerArg(env, 'bpf_timer_start').key);
      const flags = env.arg(3);
      if (t === undefined || t.callback === 0n || (flags & ~(BPF_F_TIMER_ABS | BPF_F_TIMER_CPU_PIN)) !== 0n) return -EINVAL;
      const schedule = this.core.host.scheduleTimer;
      if (schedule === undefined) return -EOPNOTSUPP;
      const at = (flags & BPF_F_TIMER_ABS) !== 0n ? env.arg(2) : this.core.host.now() + env.arg(2);
      t.cancel?.();
      const cpu = this.core.host.currentCpu();
      t.cancel = schedule.call(this.core.host, at, cpu, () => this.fire(t));
      return 0;
    });
    helper(h, TimerHelper.cancel, (env) => {
      const t = this.timers.get(this.timerArg(env, 'bpf_timer_cancel').key);
      if (t === undefined) return -EINVAL;
      if (t.firing) return -EDEADLK;
      if (t.cancel === undefined) return 0;
      t.cancel();
      t.cancel = undefined;
      return 1;
    });
  }

  private fire(t: TimerState): void {
    t.cancel = undefined;
    if (t.cell.region.freed) return;
    const space = this.core.space;
    const keyRegion = space.alloc('scratch', `timer key of ${t.cell.label()}`, t.cell.key.length, { readonly: true, bytes: t.cell.key.slice() });
    t.firing = true;
    try {
      this.invoke(t.callback, [t.cell.map.pointer, space.pointer(keyRegion, 0), space.pointer(t.cell.region, 0)], `timer in ${t.cell.label()}`);
    } finally {
      t.firing = false;
      space.free(keyRegion);
    }
  }

  private timerArg(env: NativeEnv, what: string): { key: string; cell: ValueCell; offset: number } {
    const { host, offset } = this.core.hostAt(env.arg(1), 16, what);
    if (!(host instanceof ValueCell) || fieldAt(host, offset, 'timer') === undefined) {
      throw new BpfFault('native', `${what}: offset ${offset} of ${host.label()} is not a struct bpf_timer in a map value`);
    }
    return { key: `${host.region.id}:${offset}`, cell: host, offset };
  }

  private drain(host: FieldHost, field: SpecialField): void {
    const key = `${host.region.id}:${field.offset}`;
    const t = this.timers.get(key);
    if (t === undefined) return;
    t.cancel?.();
    this.timers.delete(key);
  }
}

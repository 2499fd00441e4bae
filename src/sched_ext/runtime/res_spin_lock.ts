// bpf_res_spin_lock / bpf_res_spin_unlock and the _irqsave/_irqrestore forms
// (v6.15, kernel/bpf/rqspinlock.c): a queued spin lock that gives up with an
// error instead of hanging. It returns 0 once taken; -EDEADLK when the
// caller already holds that very lock (check_deadlock_AA), -ETIMEDOUT when it
// spins too long. One simulated CPU runs a program to completion, so no
// other holder can make it wait: only the AA case can happen here.
//
// What the verifier refuses (process_spin_lock with a res lock,
// check_kfunc_call) becomes a diagnostic: an unlock of a lock not held, an
// unlock out of acquisition order ("bpf_res_spin_unlock cannot be out of
// order"), an irqrestore of a lock not taken by irqsave (or the reverse), and
// a program that returns still holding one (RunState.resLocks, reported by
// RuntimeCore.endRun, which then releases it so the next run can take it).

import type { NativeEnv } from '../vm/abi';
import type { SourceSite } from '../../model/events';
import type { RuntimeCore } from './core';
import { EDEADLK } from './errno';
import type { KfuncTable } from './natives';

/** What the irqsave form stores in *flags: X86_EFLAGS_IF, interrupts were on. */
const IRQ_FLAGS_ON = 0x200n;

export interface HeldResLock {
  label: string;
  irqsave: boolean;
  /** Where it was taken. */
  site: SourceSite;
  /** Where the lock word lives, to release it if the program returns holding it. */
  view: DataView;
  offset: number;
}

export function registerResSpinLock(k: KfuncTable, core: RuntimeCore): void {
  const lockAt = (env: NativeEnv) => {
    const ptr = env.arg(1);
    const { region, offset } = core.space.resolve(ptr, 4, true);
    return { key: `${region.id}:${offset}`, label: `${region.name}+${offset}`, view: region.view, offset };
  };

  const lock = (irqsave: boolean) => (env: NativeEnv) => {
    const l = lockAt(env);
    const held = core.run?.resLocks;
    if (held?.has(l.key)) return BigInt(-EDEADLK);
    if (irqsave) {
      const { region, offset } = core.space.resolve(env.arg(2), 8, true);
      region.view.setBigUint64(offset, IRQ_FLAGS_ON, true);
    }
    l.view.setUint32(l.offset, 1, true);
    held?.set(l.key, { label: l.label, irqsave, site: core.site(env), view: l.view, offset: l.offset });
    return 0n;
  };

  const unlock = (irqrestore: boolean) => (env: NativeEnv) => {
    const name = irqrestore ? 'bpf_res_spin_unlock_irqrestore' : 'bpf_res_spin_unlock';
    const l = lockAt(env);
    const held = core.run?.resLocks;
    l.view.setUint32(l.offset, 0, true);
    if (held === undefined) return 0n;
    const h = held.get(l.key);
    if (h === undefined) {
      core.diag('lock_not_held', `${name} of the bpf_res_spin_lock at ${l.label}, which this program does not hold; the kernel verifier rejects this`, core.site(env));
      return 0n;
    }
    const newest = [...held.keys()].at(-1);
    if (newest !== l.key) {
      core.diag('refused', `${name} of ${l.label} while ${held.get(newest!)!.label} was taken after it: res locks must be released in reverse order; the kernel verifier rejects this`, core.site(env));
    }
    if (h.irqsave !== irqrestore) {
      const taken = h.irqsave ? 'bpf_res_spin_lock_irqsave' : 'bpf_res_spin_lock';
      core.diag('refused', `${name} of ${l.label}, which was taken with ${taken}; the kernel verifier rejects the mismatch`, core.site(env));
    }
    held.delete(l.key);
    return 0n;
  };

  k.set('bpf_res_spin_lock', lock(false));
  k.set('bpf_res_spin_lock_irqsave', lock(true));
  k.set('bpf_res_spin_unlock', unlock(false));
  k.set('bpf_res_spin_unlock_irqrestore', unlock(true));
}

// bpf_spin_lock / bpf_spin_unlock (helpers 93/94). Programs run one at a time
// here, so a lock never spins; what matters is which locks a run holds: graph
// roots may only be touched with the lock of their map value / object held,
// and unlock ends every non-owning reference (verifier: the "active_lock"
// state and invalidate_non_owning_refs at unlock).

import type { NativeEnv } from '../vm/abi';
import type { RuntimeCore } from './core';
import { fieldAt } from './layout';
import { helper, type HelperTable } from './natives';
import { BpfFault } from '../vm/fault';

export const BPF_FUNC_spin_lock = 93;
export const BPF_FUNC_spin_unlock = 94;

export function registerSpinLock(h: HelperTable, core: RuntimeCore): void {
  const lockArg = (env: NativeEnv, what: string) => {
    const ptr = env.arg(1);
    const { host, offset } = core.hostAt(ptr, 4, what);
    if (fieldAt(host, offset, 'spin_lock') === undefined) {
      throw new BpfFault('native', `${what}: offset ${offset} of ${host.label()} is not a struct bpf_spin_lock`, { address: ptr, region: host.region.name });
    }
    return { host, offset, key: `${host.region.id}:${offset}` };
  };

  helper(h, BPF_FUNC_spin_lock, (env) => {
    const { host, offset, key } = lockArg(env, 'bpf_spin_lock');
    const run = core.run;
    if (run !== undefined) {
      if (run.locks.size > 0) {
        // The verifier allows one lock at a time ("Locking two bpf_spin_locks are not allowed").
        throw new BpfFault('native', `bpf_spin_lock on ${host.label()} while already holding a bpf_spin_lock: this would deadlock, and the verifier rejects it`);
      }
      run.locks.set(key, host);
    }
    host.region.view.setUint32(offset, 1, true);
  });

  helper(h, BPF_FUNC_spin_unlock, (env) => {
    const { host, offset, key } = lockArg(env, 'bpf_spin_unlock');
    const run = core.run;
    if (run !== undefined && !run.locks.delete(key)) {
      core.diag('lock_not_held', `bpf_spin_unlock of the lock in ${host.label()}, which this program does not hold; the kernel verifier rejects this`, core.site(env));
    }
    host.region.view.setUint32(offset, 0, true);
    core.invalidateNonOwning(env);
  });
}

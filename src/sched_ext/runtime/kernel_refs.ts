// Acquired references to kernel objects the simulator owns (task_struct,
// cgroup): bpf_task_acquire/release, bpf_task_from_pid, bpf_cgroup_acquire/
// release. The objects themselves live in the simulator; we count the
// references a run holds so a run that returns without releasing one gets a
// diagnostic (the verifier's "Unreleased reference"), and follow references
// stashed into __kptr slots with bpf_kptr_xchg.

import type { NativeEnv } from '../vm/abi';
import type { RuntimeCore } from './core';
import { NULL, type KfuncTable } from './natives';

export class KernelRefs {
  /** slot key → stashed kernel pointer. */
  private readonly stashed = new Map<string, { ptr: bigint; what: string }>();
  private readonly kinds = new Map<bigint, string>();

  constructor(private readonly core: RuntimeCore) {
    core.kernelKptrDrain = (_ptr, slot) => {
      this.stashed.delete(slot);
    };
  }

  register(k: KfuncTable): void {
    k.set('bpf_task_acquire', (env) => this.acquire(env, env.arg(1), 'task_struct'));
    k.set('bpf_task_release', (env) => this.release(env, env.arg(1), 'bpf_task_release'));
    k.set('bpf_cgroup_acquire', (env) => this.acquire(env, env.arg(1), 'cgroup'));
    k.set('bpf_cgroup_release', (env) => this.release(env, env.arg(1), 'bpf_cgroup_release'));
    k.set('bpf_task_from_pid', (env) => {
      const ptr = this.core.host.taskByPid?.(env.argS32(1));
      return ptr === undefined || ptr === NULL ? NULL : this.acquire(env, ptr, 'task_struct');
    });
    k.set('bpf_cgroup_from_id', (env) => {
      const ptr = this.core.host.cgroupById?.(env.arg(1));
      return ptr === undefined || ptr === NULL ? NULL : this.acquire(env, ptr, 'cgroup');
    });
    k.set('bpf_cgroup_ancestor', (env) => {
      const ptr = this.core.host.cgroupAncestor?.(env.arg(1), env.argS32(2));
      return ptr === undefined || ptr === NULL ? NULL : this.acquire(env, ptr, 'cgroup');
    });
    k.set('bpf_rcu_read_lock', () => {
      if (this.core.run) this.core.run.rcuDepth++;
    });
    k.set('bpf_rcu_read_unlock', () => {
      if (this.core.run && this.core.run.rcuDepth > 0) this.core.run.rcuDepth--;
    });
  }

  acquire(env: NativeEnv, ptr: bigint, what: string): bigint {
    if (ptr === NULL) return NULL;
    this.kinds.set(ptr, what);
    const refs = this.core.run?.kernelRefs;
    if (refs !== undefined) {
      const r = refs.get(ptr);
      if (r) r.count++;
      else refs.set(ptr, { what, count: 1, site: this.core.site(env) });
    }
    return ptr;
  }

  release(env: NativeEnv, ptr: bigint, name: string): void {
    const r = this.core.run?.kernelRefs.get(ptr);
    if (r === undefined || r.count === 0) {
      this.core.diag('invalidated_ref', `${name}(0x${ptr.toString(16)}): this program holds no acquired reference to it; the kernel verifier rejects a release of an unacquired pointer`, this.core.site(env));
      return;
    }
    r.count--;
  }

  /** bpf_kptr_xchg moved an acquired kernel reference into `slot`. */
  stash(env: NativeEnv, ptr: bigint, slot: string): void {
    const r = this.core.run?.kernelRefs.get(ptr);
    if (r !== undefined && r.count > 0) r.count--;
    this.stashed.set(slot, { ptr, what: this.kinds.get(ptr) ?? 'kernel object' });
  }

  /** bpf_kptr_xchg took a stashed kernel reference out of `slot`: the run now owns it. */
  unstash(env: NativeEnv, ptr: bigint, slot: string): void {
    const what = this.stashed.get(slot)?.what ?? this.kinds.get(ptr) ?? 'kernel object';
    this.stashed.delete(slot);
    this.acquire(env, ptr, what);
  }

  stashedSlots(): ReadonlyMap<string, { ptr: bigint; what: string }> {
    return this.stashed;
  }
}

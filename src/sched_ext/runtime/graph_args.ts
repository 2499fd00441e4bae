// Argument checks shared by the rbtree and list kfuncs: which root a pointer
// names, which node, whether the guarding lock is held, and the owner check
// with drop-on-failure that bpf_rbtree_add / bpf_list_push_* perform.

import { BpfFault } from '../vm/fault';
import type { NativeEnv } from '../vm/abi';
import type { RuntimeCore } from './core';
import type { GraphRoot } from './graph';
import type { HeapObject } from './heap';
import { fieldAt } from './layout';
import type { LocalKptrs } from './local_kptr';

export class GraphArgs {
  constructor(
    private readonly core: RuntimeCore,
    private readonly kptrs: LocalKptrs,
  ) {}

  /** The root `ptr` points at; reports a root operation without the guarding bpf_spin_lock held. */
  root(env: NativeEnv, ptr: bigint, kind: 'rb_root' | 'list_head', what: string): GraphRoot {
    const { host, offset } = this.core.hostAt(ptr, 16, what);
    const field = fieldAt(host, offset, kind);
    if (field === undefined) {
      throw new BpfFault('native', `${what}: offset ${offset} of ${host.label()} is not a struct bpf_${kind}`, { address: ptr, region: host.region.name });
    }
    if (field.contains === undefined) {
      throw new BpfFault('native', `${what}: ${host.label()}.${field.name} has no __contains() declaration tag; the verifier rejects graph roots without one`);
    }
    const root = this.core.graphs.root(host, field);
    if (!this.core.lockHeldFor(host)) {
      const hasLock = host.fields.some((f) => f.kind === 'spin_lock');
      this.core.diag(
        'lock_not_held',
        hasLock
          ? `${what} on ${root.key} without holding the bpf_spin_lock in ${host.label()}; the kernel verifier rejects this`
          : `${what} on ${root.key}, but ${host.label()} has no bpf_spin_lock to guard it; the kernel verifier rejects this`,
        this.core.site(env),
      );
    }
    return root;
  }

  /** The object and node field `ptr` points at, which must be the node type the root contains. */
  node(env: NativeEnv, ptr: bigint, root: GraphRoot, what: string): { obj: HeapObject; offset: number } {
    if (ptr === 0n) throw new BpfFault('null', `${what}: NULL node; the verifier requires a valid node pointer`);
    const { obj, offset } = this.core.objectArg(env, ptr, what);
    const c = root.field.contains!;
    const nodeKind = root.kind === 'rb_root' ? 'rb_node' : 'list_node';
    if (fieldAt(obj, offset, nodeKind) === undefined || c.nodeOffset !== offset || obj.kind !== 'local' || this.core.btf.resolve(obj.typeId).id !== c.typeId) {
      throw new BpfFault('native', `${what}: ${root.key} contains ${c.typeName}:${c.nodeField} (node at offset ${c.nodeOffset}), but got offset ${offset} of obj ${obj.id} (${obj.typeName})`);
    }
    return { obj, offset };
  }

  /**
   * The owner check of __bpf_rbtree_add / __bpf_list_add: a node already in
   * a collection is not added again — the passed reference is dropped and
   * -EINVAL returned. Returns false when the add must not proceed.
   */
  claim(env: NativeEnv, obj: HeapObject, offset: number, root: GraphRoot, what: string): boolean {
    const me = this.core.programOwner();
    if (!this.core.heap.hasHolder(obj, me)) {
      if (this.core.reportedArg !== obj) {
        this.core.diag('invalidated_ref', `${what}: the program passes obj ${obj.id} (${obj.typeName}) without owning it (a non-owning reference); the kernel verifier rejects this`, this.core.site(env));
      }
      return false;
    }
    const current = this.core.graphs.ownerOf(obj, offset);
    if (current !== undefined) {
      this.core.diag('double_add', `${what}: obj ${obj.id} (${obj.typeName}) is already in ${current.root.key}; the kernel drops the passed reference and returns -EINVAL`, this.core.site(env));
      this.kptrs.releaseProgramRef(env, obj, what);
      this.core.loseRef(obj, `${what} dropped it (it was already in ${current.root.key})`, false);
      return false;
    }
    return true;
  }
}

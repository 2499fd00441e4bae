// bpf_rbtree_add_impl / bpf_rbtree_first / bpf_rbtree_remove
// (kernel/bpf/helpers.c, Documentation/bpf/graph_ds_impl.rst).

import type { NativeEnv } from '../vm/abi';
import { EINVAL } from './errno';
import type { RuntimeCore } from './core';
import type { GraphNode } from './graph';
import type { GraphArgs } from './graph_args';
import { NULL, type KfuncTable } from './natives';
import type { RbNode } from './rbtree';

export function registerRbtree(k: KfuncTable, core: RuntimeCore, args: GraphArgs): void {
  const space = core.space;
  const nodePtr = (n: GraphNode): bigint => space.pointer(n.obj.region, n.offset);

  // Like __bpf_rbtree_add: walk down calling less(new, existing); true goes
  // left, otherwise right, so equal keys go right of the ones already there.
  const add = (env: NativeEnv): number => {
    const root = args.root(env, env.arg(1), 'rb_root', 'bpf_rbtree_add');
    const nptr = env.arg(2);
    const less = env.arg(3);
    const { obj, offset } = args.node(env, nptr, root, 'bpf_rbtree_add');
    if (!args.claim(env, obj, offset, root, 'bpf_rbtree_add')) return -EINVAL;
    let parent: RbNode<GraphNode> | null = null;
    let left = false;
    let n = root.tree.root;
    // One argument array per add (the callback copies it into r1/r2).
    const cbArgs: bigint[] = [nptr, 0n];
    const guard = core.guard;
    while (n !== null) {
      parent = n;
      cbArgs[1] = nodePtr(n.value);
      // Nothing poisoned (the usual case): no need to suspend the guard.
      left = (guard.active ? guard.suspended(() => env.callback(less, cbArgs)) : env.callback(less, cbArgs)) !== 0n;
      n = left ? n.left : n.right;
    }
    const node: GraphNode = { obj, offset, root };
    node.rb = root.tree.insertAt(parent, left, node);
    core.graphs.attach(node);
    core.heap.move(obj, core.programOwner(), root.owner, core.site(env), root.tree.rank(node.rb));
    // The program keeps a non-owning reference until bpf_spin_unlock.
    core.loseRef(obj, 'bpf_rbtree_add', true);
    return 0;
  };
  k.set('bpf_rbtree_add_impl', add);
  k.set('bpf_rbtree_add', add);

  k.set('bpf_rbtree_first', (env) => {
    const root = args.root(env, env.arg(1), 'rb_root', 'bpf_rbtree_first');
    const first = root.tree.first();
    if (first === null) return NULL;
    core.reachNonOwning(first.value.obj);
    return nodePtr(first.value);
  });

  // Like bpf_rbtree_remove: NULL when the node's owner is not this root,
  // otherwise erase it and hand an owning reference to the program.
  k.set('bpf_rbtree_remove', (env) => {
    const root = args.root(env, env.arg(1), 'rb_root', 'bpf_rbtree_remove');
    const { obj, offset } = args.node(env, env.arg(2), root, 'bpf_rbtree_remove');
    const node = core.graphs.ownerOf(obj, offset);
    if (node === undefined || node.root !== root) return NULL;
    core.graphs.detach(node);
    core.heap.move(obj, root.owner, core.programOwner(), core.site(env));
    core.gainRef(obj, env);
    return env.arg(2);
  });
}

// bpf_list_push_{front,back}[_impl], bpf_list_pop_{front,back},
// bpf_list_{front,back} (kernel/bpf/helpers.c). The two-argument push names
// are what newer kernels and the sched_ext common header use; the verifier
// fills meta and off for the _impl ones, so we never read those arguments.

import type { NativeEnv } from '../vm/abi';
import { EINVAL } from './errno';
import type { RuntimeCore } from './core';
import type { GraphNode } from './graph';
import type { GraphArgs } from './graph_args';
import { NULL, type KfuncTable } from './natives';

export function registerList(k: KfuncTable, core: RuntimeCore, args: GraphArgs): void {
  const space = core.space;

  const push = (tail: boolean, name: string) => (env: NativeEnv): number => {
    const root = args.root(env, env.arg(1), 'list_head', name);
    const { obj, offset } = args.node(env, env.arg(2), root, name);
    if (!args.claim(env, obj, offset, root, name)) return -EINVAL;
    const node: GraphNode = { obj, offset, root };
    if (tail) root.list.push(node);
    else root.list.unshift(node);
    core.graphs.attach(node);
    core.heap.move(obj, core.programOwner(), root.owner, core.site(env), tail ? root.list.length - 1 : 0);
    core.loseRef(obj, name, true);
    return 0;
  };
  k.set('bpf_list_push_front_impl', push(false, 'bpf_list_push_front'));
  k.set('bpf_list_push_front', push(false, 'bpf_list_push_front'));
  k.set('bpf_list_push_back_impl', push(true, 'bpf_list_push_back'));
  k.set('bpf_list_push_back', push(true, 'bpf_list_push_back'));

  const pop = (tail: boolean, name: string) => (env: NativeEnv): bigint => {
    const root = args.root(env, env.arg(1), 'list_head', name);
    const node = tail ? root.list[root.list.length - 1] : root.list[0];
    if (node === undefined) return NULL;
    core.graphs.detach(node);
    core.heap.move(node.obj, root.owner, core.programOwner(), core.site(env));
    core.gainRef(node.obj, env);
    return space.pointer(node.obj.region, node.offset);
  };
  k.set('bpf_list_pop_front', pop(false, 'bpf_list_pop_front'));
  k.set('bpf_list_pop_back', pop(true, 'bpf_list_pop_back'));

  const peek = (tail: boolean, name: string) => (env: NativeEnv): bigint => {
    const root = args.root(env, env.arg(1), 'list_head', name);
    const node = tail ? root.list[root.list.length - 1] : root.list[0];
    if (node === undefined) return NULL;
    core.reachNonOwning(node.obj);
    return space.pointer(node.obj.region, node.offset);
  };
  k.set('bpf_list_front', peek(false, 'bpf_list_front'));
  k.set('bpf_list_back', peek(true, 'bpf_list_back'));
}

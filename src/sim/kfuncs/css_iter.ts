// The open-coded cgroup iterator behind bpf_for_each(css, pos, start, flags)
// (kernel/bpf/cgroup_iter.c, v6.7): bpf_iter_css_new/next/destroy walk the
// simulator's cgroup hierarchy from `start` (a struct cgroup_subsys_state *,
// a cgroup's &cgrp->self) in the order `flags` names:
//   BPF_CGROUP_ITER_DESCENDANTS_PRE   start, then each subtree parent first
//                                     (css_next_descendant_pre)
//   BPF_CGROUP_ITER_DESCENDANTS_POST  children before their parent, start
//                                     last (css_next_descendant_post)
//   BPF_CGROUP_ITER_ANCESTORS_UP      start, its parent, ... the root
//   BPF_CGROUP_ITER_CHILDREN          start's children only, not start
//                                     (v7.0, commit 752b807028e6)
// Any other value makes new() return -EINVAL and next() return NULL. The
// 24-byte struct bpf_iter_css holds what the kernel's bpf_iter_css_kern does:
// { start, pos, flags }. Children are visited in creation order, as the
// kernel's cgroup->self.children list keeps them.

import type { NativeEnv } from '../../sched_ext/vm/abi';
import { BpfFault } from '../../sched_ext/vm/fault';
import { SimCgroup } from '../core/cgroup';
import { compareKernelVersions } from '../kernel/kernel_env';
import type { KfuncContext, KfuncSink } from './context';
import { registrar } from './context';

const EINVAL = -22;

export const CgroupIterOrder = { DESCENDANTS_PRE: 2, DESCENDANTS_POST: 3, ANCESTORS_UP: 4, CHILDREN: 5 } as const;

const START = 0;
const POS = 8;
const FLAGS = 16;

export function registerCssIterKfuncs(sink: KfuncSink, kc: KfuncContext): void {
  const reg = registrar(sink, kc);
  const childrenMode = compareKernelVersions(kc.kernelVersion, '7.0.0') >= 0;
  const accepted = new Set<number>([CgroupIterOrder.DESCENDANTS_PRE, CgroupIterOrder.DESCENDANTS_POST, CgroupIterOrder.ANCESTORS_UP]);
  if (childrenMode) accepted.add(CgroupIterOrder.CHILDREN);

  const state = (env: NativeEnv) => env.space.resolve(env.arg(1), 24, true);
  const cssToCgroup = (env: NativeEnv, ptr: bigint, what: string): SimCgroup => {
    const payload = ptr === 0n ? undefined : env.space.regionOfHi(Number(ptr >> 32n))?.payload;
    if (payload instanceof SimCgroup) return payload;
    throw new BpfFault('native', `${what}: 0x${ptr.toString(16)} is not a cgroup's css (pass &cgrp->self)`, { address: ptr });
  };
  const cssOf = (cg: SimCgroup | null) => (cg === null ? 0n : cg.ptr + BigInt(kc.core().mem.layout.cgroup.selfCgroup));

  reg('bpf_iter_css_new', (env) => {
    const { region, offset } = state(env);
    const v = region.view;
    v.setBigUint64(offset + START, 0n, true);
    const flags = env.argU32(3);
    if (!accepted.has(flags)) return EINVAL;
    cssToCgroup(env, env.arg(2), 'bpf_iter_css_new');
    v.setBigUint64(offset + START, env.arg(2), true);
    v.setBigUint64(offset + POS, 0n, true);
    v.setUint32(offset + FLAGS, flags, true);
    return 0;
  });

  reg('bpf_iter_css_next', (env) => {
    const { region, offset } = state(env);
    const v = region.view;
    const startPtr = v.getBigUint64(offset + START, true);
    if (startPtr === 0n) return 0n;
    const start = cssToCgroup(env, startPtr, 'bpf_iter_css_next');
    const posPtr = v.getBigUint64(offset + POS, true);
    const pos = posPtr === 0n ? null : cssToCgroup(env, posPtr, 'bpf_iter_css_next');
    let next: SimCgroup | null;
    switch (v.getUint32(offset + FLAGS, true)) {
      case CgroupIterOrder.DESCENDANTS_PRE:
        next = nextDescendantPre(pos, start);
        break;
      case CgroupIterOrder.DESCENDANTS_POST:
        next = nextDescendantPost(pos, start);
        break;
      case CgroupIterOrder.CHILDREN:
        next = nextChild(pos, start);
        break;
      default: // ANCESTORS_UP
        next = pos === null ? start : pos.parent;
    }
    const ptr = cssOf(next);
    v.setBigUint64(offset + POS, ptr, true);
    return ptr;
  });

  reg('bpf_iter_css_destroy', () => 0);
}

/** css_next_child(): the first child of `parent` when `pos` is NULL, else pos's next sibling. */
function nextChild(pos: SimCgroup | null, parent: SimCgroup): SimCgroup | null {
  if (pos === null) return parent.children[0] ?? null;
  const siblings = parent.children;
  return siblings[siblings.indexOf(pos) + 1] ?? null;
}

/** css_next_descendant_pre(): root first; then a node's first child, else the next sibling of it or of its nearest ancestor below root. */
export function nextDescendantPre(pos: SimCgroup | null, root: SimCgroup): SimCgroup | null {
  if (pos === null) return root;
  const child = pos.children[0];
  if (child !== undefined) return child;
  for (let at: SimCgroup = pos; at !== root && at.parent !== null; at = at.parent) {
    const sib = nextChild(at, at.parent);
    if (sib !== null) return sib;
  }
  return null;
}

/** The deepest first descendant of `pos` (css_leftmost_descendant). */
function leftmostDescendant(pos: SimCgroup): SimCgroup {
  let at = pos;
  while (at.children[0] !== undefined) at = at.children[0];
  return at;
}

/** css_next_descendant_post(): leaves first; a node after all its children; root last. */
export function nextDescendantPost(pos: SimCgroup | null, root: SimCgroup): SimCgroup | null {
  if (pos === null) return leftmostDescendant(root);
  if (pos === root || pos.parent === null) return null;
  const sib = nextChild(pos, pos.parent);
  return sib !== null ? leftmostDescendant(sib) : pos.parent;
}

// The open-coded cgroup iterator (bpf_iter_css_*, test/bpf/sim/css_iter.bpf.c)
// over the simulator's cgroup tree: pre-order, post-order and ancestor walks
// as kernel/bpf/cgroup_iter.c does them, -EINVAL for orders the release does
// not take (BPF_CGROUP_ITER_CHILDREN is v7.0's).

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { simFixture } from './testing/fixtures';
import { WorkloadSpec } from './workload/schema';
import { ArrayMap } from '../sched_ext/runtime/maps/array';

const MS = 1_000_000;
const EINVAL = -22;

// ids in creation order: / 1, /a 2, /a/x 3, /a/y 4, /b 5, /b/z 6
const TREE = WorkloadSpec.parse({
  name: 'tree',
  cgroups: [
    { path: '/a', weight: 100 }, { path: '/a/x', weight: 100 }, { path: '/a/y', weight: 100 },
    { path: '/b', weight: 100 }, { path: '/b/z', weight: 100 },
  ],
  groups: [{ name: 'w', count: 2, cgroup: '/a/x', steps: [{ run: '1ms' }, { sleep: '1ms' }] }],
});

function walk(kernelVersion: string) {
  const s = new Simulation({ objectBytes: simFixture('css_iter'), file: 'css_iter.bpf.o', workload: TREE, cpus: 2, seed: 1, kernelVersion });
  s.runFor(5 * MS);
  // the program's .bss as it left it
  const at = (name: string) => {
    const g = s.object.globals.find((v) => v.name === name)!;
    const m = s.runtime.maps[g.mapIndex];
    return { view: (m as ArrayMap).cell(0, 0)!.region.view, offset: g.offset };
  };
  const s32 = (name: string) => { const { view, offset } = at(name); return view.getInt32(offset, true); };
  const ids = (name: string, nr: string) => {
    const { view, offset } = at(name);
    return Array.from({ length: s32(nr) }, (_, i) => Number(view.getBigUint64(offset + 8 * i, true)));
  };
  const out = {
    exit: s.summary().exit,
    pre: ids('pre_ids', 'nr_pre'), post: ids('post_ids', 'nr_post'), children: ids('child_ids', 'nr_child'), up: ids('up_ids', 'nr_up'),
    ret: { pre: s32('ret_pre'), post: s32('ret_post'), children: s32('ret_child'), up: s32('ret_up'), selfOnly: s32('ret_self_only') },
  };
  s.unload();
  return out;
}

describe('bpf_iter_css over the simulated cgroup hierarchy', () => {
  it('v6.19: pre-order visits parents first, post-order children first with the root last, ancestors walk up to the root', () => {
    const r = walk('6.19');
    expect(r.exit).toMatchObject({ kind: 'none', ejected: false });
    expect(r.pre).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.post).toEqual([3, 4, 2, 6, 5, 1]);
    expect(r.up).toEqual([6, 5, 1]);
    expect(r.ret).toEqual({ pre: 0, post: 0, children: EINVAL, up: 0, selfOnly: EINVAL });
    // an iterator whose new() failed yields nothing
    expect(r.children).toEqual([]);
  });

  it('v7.0 takes BPF_CGROUP_ITER_CHILDREN: the start cgroup\'s children only, in creation order', () => {
    const r = walk('7.0');
    expect(r.ret.children).toBe(0);
    expect(r.children).toEqual([2, 5]);
    expect(r.ret.selfOnly).toBe(EINVAL);
  });

  it('v6.12 already has the iterator (v6.7)', () => {
    expect(walk('6.12').pre).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

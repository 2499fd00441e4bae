// The v6.15 NUMA kfuncs on the simulated single-node machine, and the
// for_each_possible_cpu / for_each_online_cpu iterators of our common header,
// through a scheduler built against assets/include.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../simulation';
import { compileGenerated } from '../../../test/support/bpf';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const OUT_DIR = join(ROOT, 'test/bpf/build/kfuncs');
const MS = 1_000_000;

const source = (perNode: boolean) => String.raw`/* SPDX-License-Identifier: MIT */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

const volatile s32 bad_node;

s32 BPF_STRUCT_OPS_SLEEPABLE(numa_init)
{
	const struct cpumask *idle;
	s32 cpu, nr = 0, sum = 0, on_node0 = 0, online = 0, picked, any, no_node;
	u32 nodes = scx_bpf_nr_node_ids();

	for_each_possible_cpu(cpu) {
		nr++;
		sum += cpu;
		if (scx_bpf_cpu_node(cpu) == 0)
			on_node0++;
	}
	for_each_online_cpu(cpu)
		online++;

	idle = scx_bpf_get_idle_cpumask_node(bad_node);
	picked = bpf_cpumask_weight(idle);
	scx_bpf_put_idle_cpumask(idle);
	idle = scx_bpf_get_possible_cpumask();
	any = scx_bpf_pick_any_cpu_node(idle, bad_node, 0);
	no_node = scx_bpf_pick_idle_cpu_node(idle, -1, 0);
	scx_bpf_put_cpumask(idle);
	scx_bpf_exit(0, "nodes=%u cpus=%d sum=%d node0=%d online=%d idle_weight=%d any=%d no_node=%d",
		     nodes, nr, sum, on_node0, online, picked, any, no_node);
	return 0;
}

void BPF_STRUCT_OPS(numa_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops numa_ops = {
	.init = (void *)numa_init,
	.enqueue = (void *)numa_enqueue,
	.flags = ${perNode ? 'SCX_OPS_BUILTIN_IDLE_PER_NODE' : '0'},
	.name = "numa",
};
`;

const hasClang = spawnSync('clang-19', ['--version'], { stdio: 'ignore' }).status === 0;

function build(perNode: boolean): Uint8Array {
  mkdirSync(OUT_DIR, { recursive: true });
  const name = perNode ? 'numa_per_node' : 'numa_global';
  const src = join(OUT_DIR, `${name}.bpf.c`);
  writeFileSync(src, source(perNode));
  return compileGenerated(src);
}

function run(perNode: boolean, badNode: number) {
  const s = new Simulation({
    objectBytes: build(perNode), file: 'numa.bpf.o', workload: 'cpu-hogs', cpus: 4, seed: 1,
    sets: { bad_node: BigInt(badNode) },
  });
  s.runFor(1 * MS);
  return s.summary().exit;
}

describe.skipIf(!hasClang)('NUMA kfuncs on one node and the possible/online CPU iterators', () => {
  it('with SCX_OPS_BUILTIN_IDLE_PER_NODE: one node holding every CPU', () => {
    const exit = run(true, 0);
    expect(exit.kind).toBe('SCX_EXIT_UNREG_BPF');
    // nothing runs yet during ops.init, so every CPU is idle; NUMA_NO_NODE is -ENOENT without an error
    expect(exit.message).toBe('nodes=1 cpus=4 sum=6 node0=4 online=4 idle_weight=4 any=0 no_node=-2');
  });

  it('a node other than 0 is a scheduler error', () => {
    const exit = run(true, 1);
    expect(exit.kind).toBe('SCX_EXIT_ERROR');
    expect(exit.message).toMatch(/invalid node 1/);
  });

  it('without SCX_OPS_BUILTIN_IDLE_PER_NODE the *_node idle kfuncs are refused', () => {
    const exit = run(false, 0);
    expect(exit.kind).toBe('SCX_EXIT_ERROR');
    expect(exit.message).toMatch(/per-node idle tracking is disabled/);
  });
});

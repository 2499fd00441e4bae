// The arena kfuncs (kernel/bpf/arena.c): bpf_arena_alloc_pages and
// bpf_arena_free_pages (v6.9), bpf_arena_reserve_pages (v6.17). The page
// bookkeeping is ArenaMap's; these unpack the arguments as the kernel does
// (p__map is the map pointer, addr/ptr are arena addresses, flags must be 0).

import type { RuntimeCore } from './core';
import type { KfuncTable } from './natives';
import { arenaOf } from './maps/arena';

/** NUMA_NO_NODE, and the one node the simulated machine has to offer arena pages from. */
const NUMA_NO_NODE = -1;

export function registerArenaKfuncs(k: KfuncTable, core: RuntimeCore): void {
  k.set('bpf_arena_alloc_pages', (env) => {
    const arena = arenaOf(core, env.arg(1), 'bpf_arena_alloc_pages');
    const node = Number(BigInt.asIntN(32, env.arg(4)));
    // the kernel refuses a node it does not have (node_id >= nr_node_ids)
    if (node !== NUMA_NO_NODE && node !== 0) return 0n;
    return arena.allocPages(env.arg(2), env.argU32(3), env.arg(5));
  });
  k.set('bpf_arena_free_pages', (env) => {
    arenaOf(core, env.arg(1), 'bpf_arena_free_pages').freePages(env.arg(2), env.argU32(3));
    return 0n;
  });
  k.set('bpf_arena_reserve_pages', (env) => {
    const r = arenaOf(core, env.arg(1), 'bpf_arena_reserve_pages').reservePages(env.arg(2), env.argU32(3));
    return BigInt(r);
  });
}

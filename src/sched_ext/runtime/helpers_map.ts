// Map helpers by uapi id: lookup/update/delete, queue/stack push/pop/peek,
// per-CPU lookup, task/cgroup local storage, ring buffer.

import { BpfFault } from '../vm/fault';
import type { NativeEnv } from '../vm/abi';
import type { RuntimeCore } from './core';
import { E2BIG, EINVAL } from './errno';
import { helper, NULL, type HelperTable } from './natives';
import { BpfMap } from './maps/map';
import { LocalStorageMap } from './maps/local_storage';
import { RingbufMap } from './maps/ringbuf';

export const MapHelper = {
  lookup: 1,
  update: 2,
  delete: 3,
  push: 87,
  pop: 88,
  peek: 89,
  ringbufOutput: 130,
  ringbufReserve: 131,
  ringbufSubmit: 132,
  ringbufDiscard: 133,
  ringbufQuery: 134,
  forEachMapElem: 164,
  taskStorageGet: 156,
  taskStorageDelete: 157,
  lookupPercpu: 195,
  cgrpStorageGet: 210,
  cgrpStorageDelete: 211,
} as const;

/** BPF_RB_AVAIL_DATA .. BPF_RB_CONS_POS for bpf_ringbuf_query. */
const RB_QUERY = { AVAIL_DATA: 0n, RING_SIZE: 1n, CONS_POS: 2n, PROD_POS: 3n } as const;

export function mapArg(core: RuntimeCore, env: NativeEnv, i: 1 | 2 | 3 | 4 | 5, what: string): BpfMap {
  const ptr = env.arg(i);
  const region = core.space.regionOfHi(Number(ptr >> 32n));
  if (region === undefined || region.kind !== 'map' || !(region.payload instanceof BpfMap)) {
    throw new BpfFault('native', `${what}: argument ${i} (0x${ptr.toString(16)}) is not a map`, { address: ptr });
  }
  return region.payload;
}

export function registerMapHelpers(h: HelperTable, core: RuntimeCore): void {
  const space = core.space;
  const key = (m: BpfMap, env: NativeEnv) => space.readBytes(env.arg(2), m.spec.keySize);

  helper(h, MapHelper.lookup, (env) => {
    const m = mapArg(core, env, 1, 'bpf_map_lookup_elem');
    return m.lookup(key(m, env), core.host.currentCpu());
  });
  helper(h, MapHelper.lookupPercpu, (env) => {
    const m = mapArg(core, env, 1, 'bpf_map_lookup_percpu_elem');
    const cpu = env.argU32(3);
    return cpu >= core.host.nrCpus ? NULL : m.lookup(key(m, env), cpu);
  });
  helper(h, MapHelper.update, (env) => {
    const m = mapArg(core, env, 1, 'bpf_map_update_elem');
    return m.update(key(m, env), space.readBytes(env.arg(3), m.spec.valueSize), env.arg(4), env);
  });
  helper(h, MapHelper.delete, (env) => {
    const m = mapArg(core, env, 1, 'bpf_map_delete_elem');
    return m.delete(key(m, env), env);
  });
  helper(h, MapHelper.push, (env) => {
    const m = mapArg(core, env, 1, 'bpf_map_push_elem');
    return m.push(space.readBytes(env.arg(2), m.spec.valueSize), env.arg(3));
  });
  const pop = (peek: boolean) => (env: NativeEnv) => {
    const m = mapArg(core, env, 1, peek ? 'bpf_map_peek_elem' : 'bpf_map_pop_elem');
    const v = m.pop(peek);
    if (typeof v === 'number') return v;
    space.writeBytes(env.arg(2), v);
    return 0;
  };
  helper(h, MapHelper.pop, pop(false));
  helper(h, MapHelper.peek, pop(true));

  // bpf_for_each_map_elem(map, callback(map, key, value, ctx), ctx, flags): the
  // callback returns 0 to continue, 1 to stop; the result is the number of
  // elements visited. Per-CPU maps show this CPU's values.
  helper(h, MapHelper.forEachMapElem, (env) => {
    const m = mapArg(core, env, 1, 'bpf_for_each_map_elem');
    if (env.arg(4) !== 0n) return -EINVAL;
    const cells = m.cellsOn(core.host.currentCpu());
    let n = 0;
    for (const cell of cells) {
      if (cell.region.freed) continue;
      const key = space.alloc('scratch', `key of ${cell.label()}`, cell.key.length, { readonly: true, bytes: cell.key.slice() });
      n++;
      try {
        if (env.callback(env.arg(2), [m.pointer, space.pointer(key, 0), space.pointer(cell.region, 0), env.arg(3)]) !== 0n) break;
      } finally {
        space.free(key);
      }
    }
    return n;
  });

  const storage = (name: string, kind: 'task' | 'cgroup') => {
    const get = (env: NativeEnv) => {
      const m = mapArg(core, env, 1, name);
      if (!(m instanceof LocalStorageMap) || m.owner !== kind) throw new BpfFault('native', `${name}: map ${m.name} is not a ${kind} storage map`);
      if (env.arg(2) === NULL) return NULL;
      const init = env.arg(3) === NULL ? undefined : space.readBytes(env.arg(3), m.spec.valueSize);
      return m.get(env.arg(2), init, env.arg(4));
    };
    const del = (env: NativeEnv) => {
      const m = mapArg(core, env, 1, name);
      if (!(m instanceof LocalStorageMap)) throw new BpfFault('native', `${name}: map ${m.name} is not a local storage map`);
      return m.remove(env.arg(2), env);
    };
    return { get, del };
  };
  const task = storage('bpf_task_storage_get', 'task');
  helper(h, MapHelper.taskStorageGet, task.get);
  helper(h, MapHelper.taskStorageDelete, task.del);
  const cgrp = storage('bpf_cgrp_storage_get', 'cgroup');
  helper(h, MapHelper.cgrpStorageGet, cgrp.get);
  helper(h, MapHelper.cgrpStorageDelete, cgrp.del);

  const ringbuf = (env: NativeEnv, what: string): RingbufMap => {
    const m = mapArg(core, env, 1, what);
    if (!(m instanceof RingbufMap)) throw new BpfFault('native', `${what}: map ${m.name} is not a ring buffer`);
    return m;
  };
  helper(h, MapHelper.ringbufReserve, (env) => {
    if (env.arg(3) !== 0n) return NULL;
    return ringbuf(env, 'bpf_ringbuf_reserve').reserve(Number(env.arg(2)));
  });
  const commit = (discard: boolean) => (env: NativeEnv) => {
    const what = discard ? 'bpf_ringbuf_discard' : 'bpf_ringbuf_submit';
    const { region } = space.resolve(env.arg(1), 0, false);
    if (!(region.payload instanceof RingbufMap) || !region.payload.isPending(region)) {
      throw new BpfFault('native', `${what}: 0x${env.arg(1).toString(16)} is not a reserved ring buffer record`);
    }
    region.payload.commit(region, discard);
  };
  helper(h, MapHelper.ringbufSubmit, commit(false));
  helper(h, MapHelper.ringbufDiscard, commit(true));
  helper(h, MapHelper.ringbufOutput, (env) => {
    const rb = ringbuf(env, 'bpf_ringbuf_output');
    const size = Number(env.arg(3));
    if (size > rb.spec.maxEntries) return -E2BIG;
    return rb.output(space.readBytes(env.arg(2), size));
  });
  helper(h, MapHelper.ringbufQuery, (env) => {
    const rb = ringbuf(env, 'bpf_ringbuf_query');
    switch (env.arg(2)) {
      case RB_QUERY.AVAIL_DATA: return 0n;
      case RB_QUERY.RING_SIZE: return BigInt(rb.spec.maxEntries);
      default: return 0n;
    }
  });
}

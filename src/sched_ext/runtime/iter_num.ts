// The open-coded number iterator behind bpf_for / bpf_repeat
// (kernel/bpf/bpf_iter.c): the 8-byte struct bpf_iter_num on the program's
// stack holds { int cur; int end; } and next() returns a pointer to cur.

import type { NativeEnv } from '../vm/abi';
import type { RuntimeCore } from './core';
import { E2BIG, EINVAL } from './errno';
import { NULL, type KfuncTable } from './natives';

const BPF_MAX_LOOPS = 8 * 1024 * 1024;

export function registerIterNum(k: KfuncTable, core: RuntimeCore): void {
  const space = core.space;
  const state = (env: NativeEnv) => space.resolve(env.arg(1), 8, true);

  k.set('bpf_iter_num_new', (env) => {
    const { region, offset } = state(env);
    const start = env.argS32(2);
    const end = env.argS32(3);
    const v = region.view;
    if (start > end || end - start > BPF_MAX_LOOPS) {
      v.setInt32(offset, 0, true);
      v.setInt32(offset + 4, 0, true);
      return start > end ? -EINVAL : -E2BIG;
    }
    v.setInt32(offset, start - 1, true);
    v.setInt32(offset + 4, end, true);
    return 0;
  });

  k.set('bpf_iter_num_next', (env) => {
    const { region, offset } = state(env);
    const v = region.view;
    const cur = v.getInt32(offset, true);
    const end = v.getInt32(offset + 4, true);
    if (cur + 1 >= end) {
      v.setInt32(offset, 0, true);
      v.setInt32(offset + 4, 0, true);
      return NULL;
    }
    v.setInt32(offset, cur + 1, true);
    return env.arg(1);
  });

  k.set('bpf_iter_num_destroy', (env) => {
    const { region, offset } = state(env);
    region.view.setBigUint64(offset, 0n, true);
  });
}

// How topic files contribute natives: helpers by uapi id, kfuncs by kernel name.

import type { NativeDef, NativeFn } from '../vm/abi';
import { HELPER_NAMES } from './helper_names';

export type HelperTable = Map<number, NativeDef>;
export type KfuncTable = Map<string, NativeFn>;

/** Register helper `id` (its name comes from the one uapi table, helper_names.ts). */
export function helper(table: HelperTable, id: number, fn: NativeFn): void {
  const name = HELPER_NAMES[id];
  if (name === undefined) throw new Error(`helper ${id} is not in HELPER_NAMES (src/sched_ext/runtime/helper_names.ts): add its uapi name there`);
  table.set(id, { name, fn });
}

/** Native return convention for pointers: the pointer or NULL. */
export const NULL = 0n;

// How topic files contribute natives: helpers by uapi id, kfuncs by kernel name.

import type { NativeDef, NativeFn } from '../vm/abi';

export type HelperTable = Map<number, NativeDef>;
export type KfuncTable = Map<string, NativeFn>;

export function helper(table: HelperTable, id: number, name: string, fn: NativeFn): void {
  table.set(id, { name, fn });
}

/** Native return convention for pointers: the pointer or NULL. */
export const NULL = 0n;

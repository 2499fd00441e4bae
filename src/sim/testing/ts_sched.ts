// A scheduler written in TypeScript against the same SchedOps contract a
// loaded BPF object satisfies: rule tests use it to pin one kernel rule at a
// time. Its ops receive tasks (not pointers) and call the core's kfunc-level
// API directly.

import type { OpName, OpResult, SchedOps } from '../core/sched_ops';
import type { ScxCore } from '../core/scx_core';
import type { SimTask } from '../core/task';

export type TsOp = (core: ScxCore, args: readonly bigint[], task: (ptr: bigint) => SimTask) => bigint | number | boolean | void;

export interface TsSchedSpec {
  name?: string;
  flags?: bigint;
  timeoutMs?: number;
  dispatchMaxBatch?: number;
  ops: Partial<Record<OpName, TsOp>>;
}

export class TsSched implements SchedOps {
  readonly name: string;
  readonly flags: bigint;
  readonly timeoutMs: number;
  readonly dispatchMaxBatch: number;
  readonly exitDumpLen = 0;
  /** Every op call in order, "enqueue 3" style, for order assertions. */
  readonly calls: string[] = [];
  core!: ScxCore;

  constructor(private readonly spec: TsSchedSpec) {
    this.name = spec.name ?? 'ts';
    this.flags = spec.flags ?? 0n;
    this.timeoutMs = spec.timeoutMs ?? 0;
    this.dispatchMaxBatch = spec.dispatchMaxBatch ?? 0;
  }

  has(op: OpName): boolean {
    return this.spec.ops[op] !== undefined;
  }

  programOf(op: OpName): string | undefined {
    return this.has(op) ? `ts_${op}` : undefined;
  }

  call(op: OpName, args: readonly bigint[]): OpResult {
    const fn = this.spec.ops[op]!;
    const task = (ptr: bigint) => this.core.mem.space.resolve(ptr, 1, false).region.payload as SimTask;
    const first = args[0];
    const isTaskArg = first !== undefined && first > 0xffff_ffffn && (this.core.mem.space.regionOfHi(Number(first >> 32n))?.payload as SimTask | undefined)?.pid !== undefined;
    this.calls.push(isTaskArg ? `${op} ${task(first).pid}` : op);
    const r = fn(this.core, args, task);
    const ret = typeof r === 'bigint' ? r : typeof r === 'boolean' ? (r ? 1n : 0n) : BigInt(r ?? 0);
    return { ret: BigInt.asUintN(64, ret), insns: 1 };
  }
}

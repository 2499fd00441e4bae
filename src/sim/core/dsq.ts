// A dispatch queue as kernel/sched/ext.c keeps one: FIFO by default, or
// ordered by p->scx.dsq_vtime when tasks are inserted with the vtime variant.
// A DSQ holds one ordering at a time; dispatch_enqueue() refuses mixing
// ("DSQ 0x%llx already had PRIQ-enqueued tasks"), so the core checks
// `ordering` before inserting.

import type { SimTask } from './task';
import { dsqIdString } from '../kernel/consts';

export type DsqKind = 'local' | 'global' | 'user' | 'fallback';

export class DispatchQueue {
  readonly tasks: SimTask[] = [];
  /** Parallel to tasks when ordered by vtime. */
  readonly vtimes: bigint[] = [];
  /** Which insertion the queue currently holds; reset to 'empty' when it drains, like the kernel's list/rbtree checks. */
  ordering: 'fifo' | 'vtime' | 'empty' = 'empty';
  /** dsq->seq: bumped per insertion, copied to p->scx.dsq_seq for the BPF iterator. */
  seq = 0;
  highWater = 0;

  constructor(
    readonly id: bigint,
    readonly kind: DsqKind,
    readonly label: string,
    /** For local DSQs: the CPU. */
    readonly cpu = -1,
  ) {
    this.idText = dsqIdString(id);
  }

  /** The id as events and snapshots write it ('0x…'), made once: a lookup by bigint per event cost ~25 ns. */
  readonly idText: string;

  get length(): number {
    return this.tasks.length;
  }

  /** FIFO insert: tail, or head for SCX_ENQ_HEAD / SCX_ENQ_PREEMPT. */
  pushFifo(p: SimTask, head: boolean): void {
    if (head) this.tasks.unshift(p);
    else this.tasks.push(p);
    this.ordering = 'fifo';
    this.noteInsert(p);
  }

  /**
   * Ordered insert. Like the kernel's rbtree keyed by time_before(a, b)
   * (signed u64 difference), equal vtimes go after the ones already queued.
   */
  pushVtime(p: SimTask, vtime: bigint): void {
    const tasks = this.tasks;
    const vtimes = this.vtimes;
    const n = tasks.length;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (timeBefore(vtime, vtimes[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    if (lo === n) {
      tasks.push(p);
      vtimes.push(vtime);
    } else {
      // open the slot by hand: cheaper than two generic splices on short queues
      tasks.push(p);
      vtimes.push(vtime);
      for (let j = n; j > lo; j--) {
        tasks[j] = tasks[j - 1]!;
        vtimes[j] = vtimes[j - 1]!;
      }
      tasks[lo] = p;
      vtimes[lo] = vtime;
    }
    this.ordering = 'vtime';
    this.noteInsert(p);
  }

  private noteInsert(p: SimTask): void {
    this.seq++;
    p.dsq = this;
    p.dsqSeq = this.seq;
    if (this.tasks.length > this.highWater) this.highWater = this.tasks.length;
  }

  remove(p: SimTask): boolean {
    const i = this.tasks.indexOf(p);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  removeAt(i: number): SimTask {
    const tasks = this.tasks;
    const vtime = this.ordering === 'vtime';
    let p: SimTask;
    if (i === 0) {
      p = tasks.shift()!;
      if (vtime) this.vtimes.shift();
    } else {
      p = tasks[i]!;
      const n = tasks.length - 1;
      if (i === n) {
        tasks.pop();
        if (vtime) this.vtimes.pop();
      } else {
        tasks.splice(i, 1);
        if (vtime) this.vtimes.splice(i, 1);
      }
    }
    if (tasks.length === 0) this.ordering = 'empty';
    p.dsq = null;
    return p;
  }

  first(): SimTask | undefined {
    return this.tasks[0];
  }

  vtimeAt(i: number): bigint | undefined {
    return this.ordering === 'vtime' ? this.vtimes[i] : undefined;
  }
}

/** time_before() on u64 values: a - b as signed 64-bit is negative. */
export function timeBefore(a: bigint, b: bigint): boolean {
  // both in [0, 2^63): the signed difference is negative exactly when a < b (no BigInt allocated)
  if (a >= 0n && b >= 0n && a < 0x8000_0000_0000_0000n && b < 0x8000_0000_0000_0000n) return a < b;
  const d = a - b;
  // within ±2^63 the difference is its own signed value: skip the asIntN allocation
  if (d < 0n) {
    if (d >= -0x8000_0000_0000_0000n) return true;
    if (d > -0x1_0000_0000_0000_0000n) return false;
  } else {
    if (d < 0x8000_0000_0000_0000n) return false;
    if (d < 0x1_0000_0000_0000_0000n) return true;
  }
  return BigInt.asIntN(64, d) < 0n;
}

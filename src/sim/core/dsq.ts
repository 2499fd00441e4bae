// A dispatch queue as kernel/sched/ext.c keeps one: FIFO by default, or
// ordered by p->scx.dsq_vtime when tasks are inserted with the vtime variant.
// A DSQ holds one ordering at a time; dispatch_enqueue() refuses mixing
// ("DSQ 0x%llx already had PRIQ-enqueued tasks"), so the core checks
// `ordering` before inserting.

import type { SimTask } from './task';

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
  ) {}

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
    let lo = 0;
    let hi = this.tasks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (timeBefore(vtime, this.vtimes[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    this.tasks.splice(lo, 0, p);
    this.vtimes.splice(lo, 0, vtime);
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
    const [p] = this.tasks.splice(i, 1);
    if (this.ordering === 'vtime') this.vtimes.splice(i, 1);
    if (this.tasks.length === 0) this.ordering = 'empty';
    p!.dsq = null;
    return p!;
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
  return BigInt.asIntN(64, a - b) < 0n;
}

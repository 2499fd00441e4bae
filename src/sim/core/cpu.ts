// One simulated CPU: what it runs, its local DSQ, and the bookkeeping the
// machine needs to charge time and ignore stale timer events.

import { DispatchQueue } from './dsq';
import type { SimTask } from './task';
import { DSQ_LOCAL_ON } from '../kernel/consts';
import { dsqName } from '../../model/text';

export class SimCpu {
  curr: SimTask | null = null;
  readonly local: DispatchQueue;
  online = true;
  /** A resched event is queued for this CPU (resched_curr()). */
  reschedPending = false;
  /** Bumped at every context switch; timer events carry it and are dropped when stale. */
  gen = 0;
  /** When curr started its current stretch (se.exec_start). */
  execStart = 0;
  busyNs = 0;
  /** Time of the last switch to idle (for idle accounting). */
  idleSince = 0;
  /** scx_bpf_cpuperf_set() target, SCX_CPUPERF_ONE = 1024 is full speed. */
  perfTarget = 1024;
  /** A higher class took the CPU and ops.cpu_release ran; cpu_acquire is owed. */
  released = false;
  /** Switches performed, for the summary. */
  switches = 0;
  /** rq->scx.pnt_seq: advances each time the CPU goes through the resched path (SCX_KICK_WAIT waits on it). */
  pntSeq = 0;
  /** This CPU's cpus_to_kick/_if_idle/_preempt/_wait masks, one byte of kick.ts KICK_* bits per target CPU. */
  kickMask: Uint8Array = new Uint8Array(0);
  /** Its kick_cpus_irq_work is queued. */
  kickWorkQueued = false;
  /** rq->scx.reenq_local_deferred: scx_bpf_reenqueue_local___v2 asked for a re-enqueue after the op (reenq_local.ts). */
  reenqLocalDeferred = false;

  constructor(readonly id: number) {
    const dsqId = DSQ_LOCAL_ON | BigInt(id);
    this.local = new DispatchQueue(dsqId, 'local', dsqName(dsqId), id);
  }

  get idle(): boolean {
    return this.curr === null;
  }
}

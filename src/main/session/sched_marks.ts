// The schedMarks query (protocol/sched_marks.ts): every scx_bpf_kick_cpu and
// every preemption of a window. A preemption is a switch whose outgoing task
// is still runnable: the simulator, like put_prev_task_scx(), marks it
// runnable just before the switch event at the same instant (core/schedule.ts
// putPrev). Its reason: a SCX_KICK_PREEMPT kick at that CPU since the task
// started running (kick_one_cpu() zeroes the slice); else slice left when the
// task went back to the head of its local DSQ (put_prev_task_scx() does that
// for a task with slice left); else its slice ran out.

import type { SimEvent, SimEventKind } from '../../model/events';
import { PREEMPT_REASONS, type PreemptReason, type SchedMarks } from '../../protocol/sched_marks';
import { localDsqCpu } from '../../sim/trace/dsq_ids';
import type { Timeline } from './timeline';

/** The most events one answer reads; past it the marks stop early (`truncated`). */
export const MAX_MARK_EVENTS = 1_000_000;

const KINDS: SimEventKind[] = ['task_state', 'switch', 'kick', 'dsq_insert'];

export interface Preemption {
  t: number;
  cpu: number;
  pid: number;
  next: number;
  reason: PreemptReason;
  kicker: number;
}

/** The kicks and preemptions of [t0, t1) over `timeline`, at most `limit` of each. */
export function schedMarks(timeline: Pick<Timeline, 'events'>, t0: number, t1: number, limit: number): SchedMarks {
  const read = timeline.events(t0, t1, KINDS, MAX_MARK_EVENTS);
  const kicks = read.events.filter((e): e is SimEvent & { kind: 'kick' } => e.kind === 'kick');
  const pre = preemptions(read.events, t0);
  const truncated = read.truncated || kicks.length > limit || pre.length > limit;
  const k = kicks.slice(0, limit);
  const p = pre.slice(0, limit);
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) index.set(s, (i = strings.push(s) - 1));
    return i;
  };
  return {
    t0,
    t1,
    kicks: {
      t: Float64Array.from(k, (e) => e.t),
      cpu: Int32Array.from(k, (e) => e.cpu),
      target: Int32Array.from(k, (e) => e.target),
      flags: Int32Array.from(k, (e) => str(e.flags.join('|'))),
    },
    preemptions: {
      t: Float64Array.from(p, (e) => e.t),
      cpu: Int32Array.from(p, (e) => e.cpu),
      pid: Int32Array.from(p, (e) => e.pid),
      next: Int32Array.from(p, (e) => e.next),
      reason: Uint8Array.from(p, (e) => PREEMPT_REASONS.indexOf(e.reason)),
      kicker: Int32Array.from(p, (e) => e.kicker),
    },
    strings,
    truncated,
  };
}

/** The preemptions in `events` (time order, from t0), with their reasons. Exported for tests. */
export function preemptions(events: SimEvent[], t0: number): Preemption[] {
  const out: Preemption[] = [];
  /** Each task's last state change. */
  const state = new Map<number, { state: string; t: number }>();
  /** When each CPU switched to its current task (t0 for the one running at the window's start). */
  const runStart = new Map<number, number>();
  /** The last SCX_KICK_PREEMPT kick at each CPU: when, and from which CPU. */
  const kicked = new Map<number, { t: number; from: number }>();
  /** The last instant each task went back to the head of a local DSQ. */
  const headInsert = new Map<number, number>();
  for (const e of events) {
    if (e.kind === 'task_state') state.set(e.pid, { state: e.state, t: e.t });
    else if (e.kind === 'kick') {
      // flags are recorded by their KickFlag names ("PREEMPT"); accept the uapi spelling too
      if (e.flags.includes('PREEMPT') || e.flags.includes('SCX_KICK_PREEMPT')) kicked.set(e.target, { t: e.t, from: e.cpu });
    } else if (e.kind === 'dsq_insert') {
      if (e.head && localDsqCpu(e.dsq, e.cpu) !== null) headInsert.set(e.pid, e.t);
    } else if (e.kind === 'switch') {
      const p = e.prevPid;
      const s = state.get(p);
      if (p > 0 && s && s.state === 'runnable' && s.t === e.t) {
        const k = kicked.get(e.cpu);
        const since = runStart.get(e.cpu) ?? t0;
        const reason: PreemptReason = k && k.t >= since ? 'kick' : headInsert.get(p) === e.t ? 'slice_left' : 'slice';
        out.push({ t: e.t, cpu: e.cpu, pid: p, next: e.nextPid, reason, kicker: reason === 'kick' ? k!.from : -1 });
      }
      runStart.set(e.cpu, e.t);
      kicked.delete(e.cpu);
    }
  }
  return out;
}

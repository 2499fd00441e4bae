// Records a simulated run as a scheduling trace (import/sched_trace.ts), the
// model imported traces use, so a run can be compared with the original
// figure for figure and exported as perf / ftrace text or Perfetto JSON.
// The simulator's events carry no waker, so wakeups are recorded as from
// interrupt context (waker 0): a re-import replays them as timed sleeps.

import type { SimEvent, TaskState } from '../../../model/events';
import { scxWeightFromNice } from '../../kernel/consts';
import { SchedTraceBuilder, type SchedTrace } from '../import/sched_trace';

function niceOfWeight(weight: number): number {
  let best = 0;
  for (let n = -20; n <= 19; n++) if (Math.abs(scxWeightFromNice(n) - weight) < Math.abs(scxWeightFromNice(best) - weight)) best = n;
  return best;
}

export class SchedRecorder {
  private readonly b: SchedTraceBuilder;
  private readonly state = new Map<number, TaskState>();
  private readonly lastCpu = new Map<number, number>();
  private line = 0;

  constructor(
    source: string,
    private readonly cpus: number,
  ) {
    this.b = new SchedTraceBuilder(source, 'ftrace');
    this.b.machine.cpus = cpus;
  }

  /** A Simulation listener: `sim.on((ev) => rec.event(ev))`. */
  event(e: SimEvent): void {
    switch (e.kind) {
      case 'task_new':
        this.b.task(e.pid, e.comm, 120 + niceOfWeight(e.weight));
        this.state.set(e.pid, 'new');
        break;
      case 'task_state': {
        const before = this.state.get(e.pid);
        this.state.set(e.pid, e.state);
        if (e.cpu >= 0) this.lastCpu.set(e.pid, e.cpu);
        if (e.state === 'runnable' && (before === 'sleeping' || before === 'new')) {
          this.b.event({ t: e.t, kind: 'wakeup', cpu: Math.max(0, e.cpu), pid: e.pid, targetCpu: Math.max(0, e.cpu), waker: 0, isNew: before === 'new', line: ++this.line, ctx: -1 });
        }
        break;
      }
      case 'switch': {
        const st = this.state.get(e.prevPid);
        const prevState = e.prevPid === 0 ? 'R' : st === 'sleeping' ? 'S' : st === 'exited' ? 'X' : 'R';
        // sched_process_exit fires in do_exit() while the task is still current, before its last switch
        if (prevState === 'X') this.b.event({ t: e.t, kind: 'exit', cpu: e.cpu, pid: e.prevPid, line: ++this.line, ctx: e.prevPid });
        this.b.event({ t: e.t, kind: 'switch', cpu: e.cpu, prevPid: e.prevPid, prevState, nextPid: e.nextPid, line: ++this.line, ctx: -1 });
        break;
      }
      default:
        break;
    }
  }

  /** The run so far as a trace; `endNs` (the run's end) closes the last slices. */
  finish(endNs: number): SchedTrace {
    const trace = this.b.finish();
    trace.machine.cpus = this.cpus;
    trace.startNs = 0;
    trace.endNs = Math.max(trace.endNs, endNs);
    return trace;
  }
}

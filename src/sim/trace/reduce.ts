// Replays events onto a snapshot: the state at t is a keyframe plus every
// later event up to t applied here. The rules mirror what the simulator's
// snapshot() reports (docs/trace-format.md, "Replay semantics"); where an
// event does not carry enough to know (heap object field values) the
// keyframe's value is kept, marked with its time (fieldsAt).

import type { DsqSnapshot, SimEvent, SimSnapshot, TaskSnapshot } from '../../model/events';
import { localDsqCpu } from './dsq_ids';
import { HeapReplay } from './heap_replay';
import { dsqName } from '../../model/text';

export class ReplayState {
  t: number;
  private readonly cpus: SimSnapshot['cpus'];
  private readonly dsqs = new Map<string, DsqSnapshot>();
  private readonly tasks = new Map<number, TaskSnapshot>();
  private readonly objs: HeapReplay;
  private exited: SimSnapshot['exited'];
  /** Globals are not in events: the keyframe's values, and its time. */
  private readonly globals: SimSnapshot['globals'];
  private readonly maps: SimSnapshot['maps'];
  private readonly arenas: SimSnapshot['arenas'];
  private readonly globalsAt: number;
  /** Times tasks entered 'running'/'runnable', so counters advance between events. */
  private readonly runSince = new Map<number, number>();
  private readonly waitSince = new Map<number, number>();

  /** Starts from a copy of `s`; `s` itself is never modified. */
  constructor(s: SimSnapshot) {
    const c = structuredClone(s);
    this.t = c.t;
    this.cpus = c.cpus;
    for (const d of c.dsqs) this.dsqs.set(d.id, d);
    for (const task of c.tasks) {
      this.tasks.set(task.pid, task);
      // runtimeNs in a snapshot is charged up to about s.t; waitNs only holds
      // finished waits, the current one is added when the task next runs.
      if (task.state === 'running') this.runSince.set(task.pid, c.t);
      if (task.state === 'runnable') this.waitSince.set(task.pid, task.readySince ?? c.t);
    }
    this.objs = new HeapReplay(c.heap, c.roots, c.slots, c.t);
    this.exited = c.exited;
    this.globals = c.globals;
    this.maps = c.maps;
    this.arenas = c.arenas;
    this.globalsAt = c.globalsAt ?? c.t;
  }

  apply(ev: SimEvent): void {
    this.t = ev.t;
    switch (ev.kind) {
      case 'task_new':
        this.tasks.set(ev.pid, { pid: ev.pid, comm: ev.comm, state: 'new', cpu: -1, weight: ev.weight, runtimeNs: 0, waitNs: 0, runs: 0, vtime: 0, slice: 0 });
        break;
      case 'task_exit':
        this.setState(ev.pid, 'exited', ev.t);
        break;
      case 'task_state': {
        this.setState(ev.pid, ev.state, ev.t);
        const task = this.tasks.get(ev.pid);
        if (task) task.cpu = ev.cpu;
        break;
      }
      case 'switch': {
        const cpu = this.cpus[ev.cpu];
        if (cpu) cpu.curr = ev.nextPid;
        break;
      }
      case 'idle': {
        const cpu = this.cpus[ev.cpu];
        if (cpu) cpu.idle = ev.idle;
        break;
      }
      case 'dsq_create':
        if (!this.dsqs.has(ev.dsq)) this.dsqs.set(ev.dsq, { id: ev.dsq, label: ev.name, ordering: 'empty', tasks: [] });
        break;
      case 'dsq_insert':
        this.insert(ev);
        break;
      case 'dsq_remove':
        this.remove(ev.dsq, ev.cpu, ev.pid);
        break;
      case 'obj_new':
        this.objs.create(ev);
        break;
      case 'obj_owner':
        this.objs.transfer(ev);
        break;
      case 'obj_free':
        this.objs.free(ev.obj); // snapshot() lists live objects only
        break;
      case 'exit':
        this.exited = ev.exit;
        break;
      case 'op':
      case 'kick':
      case 'ringbuf':
      case 'printk':
      case 'diagnostic':
        break;
    }
  }

  private setState(pid: number, state: TaskSnapshot['state'], t: number): void {
    const task = this.tasks.get(pid);
    if (!task) return;
    const run = this.runSince.get(pid);
    if (run !== undefined) {
      task.runtimeNs += t - run;
      this.runSince.delete(pid);
    }
    if (state === 'running') {
      // like the simulator's setNext: the wait since the task became ready ends here
      const wait = this.waitSince.get(pid);
      if (wait !== undefined) task.waitNs += t - wait;
      this.waitSince.delete(pid);
      if (task.state !== 'running') task.runs++;
      this.runSince.set(pid, t);
    } else if (state === 'runnable') {
      if (!this.waitSince.has(pid)) this.waitSince.set(pid, t);
    } else {
      this.waitSince.delete(pid);
    }
    task.state = state;
  }

  private insert(ev: Extract<SimEvent, { kind: 'dsq_insert' }>): void {
    const task = this.tasks.get(ev.pid);
    if (task) {
      task.dsq = ev.dsq;
      task.slice = ev.slice;
      if (ev.vtime !== undefined) task.vtime = ev.vtime;
    }
    const local = localDsqCpu(ev.dsq, ev.cpu);
    const cpu = local === null ? undefined : this.cpus[local];
    if (cpu) {
      if (ev.head) cpu.local.unshift(ev.pid);
      else cpu.local.push(ev.pid);
    }
    let d = this.dsqs.get(ev.dsq);
    if (!d) {
      if (cpu) return; // local DSQs live in cpus[].local unless the snapshot lists them too
      d = { id: ev.dsq, label: dsqName(ev.dsq), ordering: 'empty', tasks: [] };
      this.dsqs.set(ev.dsq, d);
    }
    if (ev.vtime !== undefined && d.ordering !== 'fifo') {
      // like the kernel's dsq priq: equal vtimes go after existing ones
      let i = d.tasks.length;
      while (i > 0 && (d.tasks[i - 1]!.vtime ?? 0) > ev.vtime) i--;
      d.tasks.splice(i, 0, { pid: ev.pid, vtime: ev.vtime });
      d.ordering = 'vtime';
    } else {
      if (ev.head) d.tasks.unshift({ pid: ev.pid });
      else d.tasks.push({ pid: ev.pid });
      d.ordering = 'fifo';
    }
  }

  private remove(dsq: string, eventCpu: number, pid: number): void {
    const task = this.tasks.get(pid);
    if (task && task.dsq === dsq) delete task.dsq;
    const local = localDsqCpu(dsq, eventCpu);
    const cpu = local === null ? undefined : this.cpus[local];
    if (cpu) {
      const i = cpu.local.indexOf(pid);
      if (i >= 0) cpu.local.splice(i, 1);
    }
    const d = this.dsqs.get(dsq);
    if (!d) return;
    const i = d.tasks.findIndex((x) => x.pid === pid);
    if (i >= 0) d.tasks.splice(i, 1);
    if (d.tasks.length === 0) d.ordering = 'empty';
  }

  /** The state as a snapshot at time t (default: the last applied event). */
  snapshot(t = this.t): SimSnapshot {
    const tasks = [...this.tasks.values()].map((task) => {
      const c = { ...task };
      const run = this.runSince.get(task.pid);
      if (run !== undefined) c.runtimeNs += t - run;
      delete c.readySince;
      const wait = this.waitSince.get(task.pid);
      if (wait !== undefined) c.readySince = wait;
      return c;
    });
    const s: SimSnapshot = structuredClone({
      t,
      cpus: this.cpus,
      dsqs: [...this.dsqs.values()],
      tasks,
      heap: [...this.objs.heap.values()],
      roots: this.objs.rootList(),
      slots: [...this.objs.slots.values()],
    });
    if (this.exited) s.exited = structuredClone(this.exited);
    if (this.globals) {
      s.globals = structuredClone(this.globals);
      s.globalsAt = this.globalsAt;
    }
    if (this.maps) {
      s.maps = structuredClone(this.maps);
      s.globalsAt = this.globalsAt;
    }
    if (this.arenas) {
      s.arenas = structuredClone(this.arenas);
      s.globalsAt = this.globalsAt;
    }
    return s;
  }
}

/** One event applied to a snapshot, as a new snapshot (slow path; replay uses ReplayState). */
export function applyEvent(snapshot: SimSnapshot, ev: SimEvent): SimSnapshot {
  const s = new ReplayState(snapshot);
  s.apply(ev);
  return s.snapshot(ev.t);
}

// A small deterministic stand-in for the simulator, for trace tests and the
// benchmark: it keeps its own model of CPUs, DSQs, tasks and heap objects,
// changes it at random (seeded), and emits each change as a SimEvent after
// applying it, as the simulator does. Its snapshot() follows the replay rules
// in docs/trace-format.md; it shares no code with reduce.ts, so a replay that
// matches it checks the reducer independently. Its rbtree is the runtime's
// RedBlackTree filled by key comparisons, like bpf_rbtree_add; the reducer
// must reproduce that shape from the events' `at` alone.

import { RedBlackTree, type RbNode } from '../../../sched_ext/runtime/rbtree';
import type { HeapObjectSnapshot, OwnerRef, SimEvent, SimSnapshot, TaskState } from '../../../model/events';
import { mulberry32 } from '../../../base/prng';

export { mulberry32 };

const GLOBAL = '0x8000000000000001';
const USER_DSQ = '0x64';
const localId = (cpu: number): string => '0x' + (0xc000000000000000n | BigInt(cpu)).toString(16);
const TREE = 'map cgv_tree[0].root';
const LIST = 'map queue[0].head';

interface ToyTask {
  pid: number;
  comm: string;
  state: TaskState;
  cpu: number;
  weight: number;
  runtime: number;
  wait: number;
  since: number;
  runs: number;
  vtime: number;
  slice: number;
  dsq?: string;
}

export class ToySimulation {
  t = 0;
  private rng: () => number;
  private listeners: ((ev: SimEvent) => void)[] = [];
  private cpus: { curr: number; idle: boolean; local: number[] }[] = [];
  private tasks = new Map<number, ToyTask>();
  private dsqs = new Map<string, { label: string; vtime: boolean; tasks: { pid: number; vtime?: number }[] }>();
  private heap = new Map<number, HeapObjectSnapshot & { key: number }>();
  private roots = new Map<string, { kind: 'rb_root' | 'list_head'; nodes: number[] }>();
  private slots = new Map<string, number | null>();
  /** The rbtree (TREE) as the runtime holds it; roots.get(TREE).nodes follows its order. */
  private tree = new RedBlackTree<number>();
  private treeNodes = new Map<number, RbNode<number>>();
  private nextObj = 1;
  private nextPid = 100;
  private exitInfo: SimSnapshot['exited'];

  constructor(
    readonly ncpu: number,
    seed: number,
  ) {
    this.rng = mulberry32(seed);
    for (let c = 0; c < ncpu; c++) this.cpus.push({ curr: 0, idle: true, local: [] });
  }

  on(l: (ev: SimEvent) => void): void {
    this.listeners.push(l);
  }

  private emit(ev: SimEvent): void {
    for (const l of this.listeners) l(ev);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rng() * xs.length)]!;
  }

  private int(n: number): number {
    return Math.floor(this.rng() * n);
  }

  /** Runs until `n` more events have been emitted (at least). */
  runEvents(n: number): void {
    let emitted = 0;
    const count = (): void => void emitted++;
    this.listeners.push(count);
    while (emitted < n) this.step();
    this.listeners.splice(this.listeners.indexOf(count), 1);
  }

  start(): void {
    this.dsqs.set(USER_DSQ, { label: '100', vtime: true, tasks: [] });
    this.emit({ t: this.t, kind: 'dsq_create', dsq: USER_DSQ, name: '100', vtime: true });
  }

  /** One action: time moves on, then every event of the action shares that time. */
  step(): void {
    this.t += 1 + this.int(5000);
    const r = this.rng();
    if (this.tasks.size < 4 * this.ncpu && r < 0.05) return this.spawn();
    if (r < 0.3) return this.wake();
    if (r < 0.55) return this.dispatch();
    if (r < 0.75) return this.stop();
    if (r < 0.9) return this.heapOp();
    this.misc();
  }

  private setState(task: ToyTask, state: TaskState, cpu: number): void {
    if (task.state === 'running') task.runtime += this.t - task.since;
    if (state === 'running' && task.state === 'runnable') task.wait += this.t - task.since;
    if (state === 'running' && task.state !== 'running') task.runs++;
    if (!(state === 'runnable' && task.state === 'runnable')) task.since = this.t;
    task.state = state;
    task.cpu = cpu;
    this.emit({ t: this.t, kind: 'task_state', pid: task.pid, state, cpu });
  }

  private spawn(): void {
    const pid = this.nextPid++;
    const task: ToyTask = { pid, comm: `worker-${pid % 7}`, state: 'new', cpu: -1, weight: this.pick([100, 100, 200, 50]), runtime: 0, wait: 0, since: this.t, runs: 0, vtime: 0, slice: 0 };
    this.tasks.set(pid, task);
    const ev: SimEvent = { t: this.t, kind: 'task_new', pid, comm: task.comm, weight: task.weight };
    if (pid % 3 === 0) ev.cgroup = '/work';
    this.emit(ev);
  }

  private insert(task: ToyTask, dsq: string, cpu: number, head: boolean, vtime?: number): void {
    task.dsq = dsq;
    task.slice = 5_000_000;
    if (vtime !== undefined) task.vtime = vtime;
    const local = dsq.startsWith('0xc') ? Number(BigInt(dsq) & 0xffffffffn) : -1;
    if (local >= 0) {
      if (head) this.cpus[local]!.local.unshift(task.pid);
      else this.cpus[local]!.local.push(task.pid);
    } else {
      let d = this.dsqs.get(dsq);
      if (!d) this.dsqs.set(dsq, (d = { label: 'GLOBAL', vtime: false, tasks: [] }));
      if (vtime !== undefined) {
        let i = d.tasks.length;
        while (i > 0 && d.tasks[i - 1]!.vtime! > vtime) i--;
        d.tasks.splice(i, 0, { pid: task.pid, vtime });
      } else if (head) d.tasks.unshift({ pid: task.pid });
      else d.tasks.push({ pid: task.pid });
    }
    const ev: SimEvent = { t: this.t, kind: 'dsq_insert', cpu, dsq, pid: task.pid, slice: task.slice, head };
    if (vtime !== undefined) ev.vtime = vtime;
    this.emit(ev);
  }

  private removeFrom(task: ToyTask, dsq: string, cpu: number, reason: 'consume' | 'run' | 'dequeue'): void {
    delete task.dsq;
    const local = dsq.startsWith('0xc') ? Number(BigInt(dsq) & 0xffffffffn) : -1;
    if (local >= 0) this.cpus[local]!.local.splice(this.cpus[local]!.local.indexOf(task.pid), 1);
    else {
      const d = this.dsqs.get(dsq)!;
      d.tasks.splice(d.tasks.findIndex((x) => x.pid === task.pid), 1);
    }
    this.emit({ t: this.t, kind: 'dsq_remove', cpu, dsq, pid: task.pid, reason });
  }

  private wake(): void {
    const sleepers = [...this.tasks.values()].filter((x) => x.state === 'new' || x.state === 'sleeping');
    if (sleepers.length === 0) return;
    const task = this.pick(sleepers);
    const cpu = this.int(this.ncpu);
    this.setState(task, 'runnable', cpu);
    this.emit({ t: this.t, kind: 'op', cpu, op: 'enqueue', pid: task.pid, args: ['0x0'], insns: 20 + this.int(200) });
    const where = this.rng();
    if (where < 0.3) this.insert(task, GLOBAL, cpu, false);
    else if (where < 0.7) this.insert(task, USER_DSQ, cpu, false, this.int(50) * 1000);
    else this.insert(task, localId(cpu), cpu, this.rng() < 0.2);
  }

  private dispatch(): void {
    const idle = this.cpus.map((c, i) => (c.curr === 0 ? i : -1)).filter((i) => i >= 0);
    if (idle.length === 0) return;
    const cpu = this.pick(idle);
    const c = this.cpus[cpu]!;
    if (c.local.length === 0) {
      this.emit({ t: this.t, kind: 'op', cpu, op: 'dispatch', pid: -1, args: [String(cpu)], insns: 40 + this.int(100) });
      const src = [GLOBAL, USER_DSQ].find((d) => (this.dsqs.get(d)?.tasks.length ?? 0) > 0);
      if (!src) return;
      const task = this.tasks.get(this.dsqs.get(src)!.tasks[0]!.pid)!;
      this.removeFrom(task, src, cpu, 'consume');
      this.insert(task, localId(cpu), cpu, false);
    }
    const task = this.tasks.get(c.local[0]!)!;
    this.removeFrom(task, localId(cpu), cpu, 'run');
    c.curr = task.pid;
    this.emit({ t: this.t, kind: 'switch', cpu, prevPid: 0, nextPid: task.pid });
    this.setState(task, 'running', cpu);
    if (c.idle) {
      c.idle = false;
      this.emit({ t: this.t, kind: 'idle', cpu, idle: false });
    }
  }

  private stop(): void {
    const busy = this.cpus.map((c, i) => (c.curr !== 0 ? i : -1)).filter((i) => i >= 0);
    if (busy.length === 0) return;
    const cpu = this.pick(busy);
    const c = this.cpus[cpu]!;
    const task = this.tasks.get(c.curr)!;
    this.emit({ t: this.t, kind: 'op', cpu, op: 'stopping', pid: task.pid, args: ['true'], insns: 12, ret: '0' });
    c.curr = 0;
    this.emit({ t: this.t, kind: 'switch', cpu, prevPid: task.pid, nextPid: 0 });
    const r = this.rng();
    if (r < 0.1) {
      this.setState(task, 'exited', cpu);
      this.emit({ t: this.t, kind: 'task_exit', pid: task.pid });
    } else if (r < 0.6) this.setState(task, 'sleeping', cpu);
    else {
      this.setState(task, 'runnable', cpu);
      this.insert(task, GLOBAL, cpu, false);
    }
    c.idle = true;
    this.emit({ t: this.t, kind: 'idle', cpu, idle: true });
  }

  private move(obj: number, to: OwnerRef, at?: number): void {
    const h = this.heap.get(obj)!;
    const from = h.owner;
    if (from.kind === 'rb_root' || from.kind === 'list_head') {
      const nodes = this.roots.get(from.root)!.nodes;
      nodes.splice(nodes.indexOf(obj), 1);
      if (from.kind === 'rb_root') {
        this.tree.remove(this.treeNodes.get(obj)!);
        this.treeNodes.delete(obj);
      }
    } else if (from.kind === 'kptr') this.slots.set(from.slot, null);
    if (to.kind === 'rb_root' || to.kind === 'list_head') {
      let r = this.roots.get(to.root);
      if (!r) this.roots.set(to.root, (r = { kind: to.kind, nodes: [] }));
      if (to.kind === 'rb_root') {
        at = this.treeAdd(obj);
        r.nodes = this.tree.inorder().map((n) => n.value);
      } else r.nodes.splice(at ?? r.nodes.length, 0, obj);
    } else if (to.kind === 'kptr') this.slots.set(to.slot, obj);
    if (to.kind === 'refcount') h.refcount = to.count;
    h.owner = to;
    const ev: SimEvent = { t: this.t, kind: 'obj_owner', obj, from, to, site: { program: 'enqueue', insn: this.int(300), file: 'toy.bpf.c', line: 40 + this.int(20) } };
    if (at !== undefined) ev.at = at;
    this.emit(ev);
  }

  /** Like bpf_rbtree_add with less(a, b) = a.key < b.key: equal keys go right. Returns the rank. */
  private treeAdd(obj: number): number {
    const key = this.heap.get(obj)!.key;
    let parent: RbNode<number> | null = null;
    let left = false;
    let n = this.tree.root;
    while (n !== null) {
      parent = n;
      left = key < this.heap.get(n.value)!.key;
      n = left ? n.left : n.right;
    }
    const node = this.tree.insertAt(parent, left, obj);
    this.treeNodes.set(obj, node);
    return this.tree.rank(node);
  }

  private heapOp(): void {
    const live = [...this.heap.values()];
    const held = live.filter((h) => h.owner.kind === 'program');
    const r = this.rng();
    const cpu = this.int(this.ncpu);
    if (r < 0.3 || live.length === 0) {
      const id = this.nextObj++;
      const site = { program: 'enqueue', insn: this.int(300) };
      this.heap.set(id, { id, key: this.int(1000), type: 'struct node', size: 48, owner: { kind: 'program', program: 'enqueue', cpu: -1 }, refcount: 1, fields: {}, site });
      this.emit({ t: this.t, kind: 'obj_new', obj: id, type: 'struct node', size: 48, site });
    } else if (r < 0.6 && held.length > 0) {
      const h = this.pick(held);
      const where = this.rng();
      if (where < 0.5) {
        this.move(h.id, { kind: 'rb_root', root: TREE });
      } else if (where < 0.8) this.move(h.id, { kind: 'list_head', root: LIST });
      else {
        // like bpf_kptr_xchg into an empty slot (a full one would hand back its object)
        const slot = `map task_ctx[pid ${100 + this.int(8)}].stash`;
        if ((this.slots.get(slot) ?? null) === null) this.move(h.id, { kind: 'kptr', slot });
      }
    } else if (r < 0.85) {
      const h = this.pick(live);
      if (h.owner.kind !== 'program') this.move(h.id, { kind: 'program', program: 'dispatch', cpu });
    } else if (held.length > 0) {
      const h = this.pick(held);
      this.heap.delete(h.id);
      this.emit({ t: this.t, kind: 'obj_free', obj: h.id, site: { program: 'dispatch', insn: 7 } });
    }
  }

  private misc(): void {
    const cpu = this.int(this.ncpu);
    const r = this.rng();
    if (r < 0.3) this.emit({ t: this.t, kind: 'kick', cpu, target: this.int(this.ncpu), flags: this.rng() < 0.5 ? ['SCX_KICK_IDLE'] : [] });
    else if (r < 0.6) this.emit({ t: this.t, kind: 'printk', cpu, program: 'dispatch', text: `cpu ${cpu} queue ${this.int(10)}` });
    else if (r < 0.8) this.emit({ t: this.t, kind: 'ringbuf', map: 'events', bytes: Uint8Array.from([this.int(256), this.int(256), 0, 1]) });
    else this.emit({ t: this.t, kind: 'diagnostic', diag: { kind: 'leak', message: `object leaked on cpu ${cpu}`, program: 'dispatch', line: 12 } });
  }

  exit(): void {
    this.exitInfo = { kind: 'SCX_EXIT_DONE', reason: 'done', message: 'toy run finished' };
    this.emit({ t: this.t, kind: 'exit', exit: this.exitInfo });
  }

  snapshot(): SimSnapshot {
    const t = this.t;
    const s: SimSnapshot = {
      t,
      cpus: this.cpus.map((c, cpu) => ({ cpu, curr: c.curr, idle: c.idle, local: [...c.local] })),
      dsqs: [...this.dsqs].map(([id, d]) => ({ id, label: d.label, ordering: d.tasks.length === 0 ? 'empty' : d.vtime ? 'vtime' : 'fifo', tasks: d.tasks.map((x) => ({ ...x })) })),
      tasks: [...this.tasks.values()].map((x) => {
        const task = { pid: x.pid, comm: x.comm, state: x.state, cpu: x.cpu, weight: x.weight, runtimeNs: x.runtime + (x.state === 'running' ? t - x.since : 0), waitNs: x.wait, runs: x.runs, vtime: x.vtime, slice: x.slice } as SimSnapshot['tasks'][number];
        if (x.dsq !== undefined) task.dsq = x.dsq;
        if (x.state === 'runnable') task.readySince = x.since;
        return task;
      }),
      heap: [...this.heap.values()].map(({ key: _key, ...h }) => structuredClone(h)),
      roots: [...this.roots].map(([key, r]) => {
        if (r.kind === 'list_head') return { key, kind: r.kind, nodes: [...r.nodes] };
        const ino = this.tree.inorder();
        return { key, kind: r.kind, nodes: ino.map((n) => n.value), parents: ino.map((n) => n.parent?.value ?? 0), red: ino.map((n) => n.red) };
      }),
      slots: [...this.slots].map(([key, obj]) => ({ key, map: 'task_ctx', field: 'stash', obj })),
    };
    if (this.exitInfo) s.exited = { ...this.exitInfo };
    return s;
  }
}


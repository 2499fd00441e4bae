// What the toolbar, empty state and menus do, one function per user action.
// Each reports failure as the banner (file + what is wrong) instead of throwing.
import type { DebuggerState } from './debugger_state.svelte';
import { describeFailure, type Session, uploadRef } from './session_client';
import type { ObjectSummary, TraceSummary } from '../../protocol/contract';

export class DebuggerActions {
  constructor(
    private readonly session: Session,
    private readonly state: DebuggerState,
  ) {}

  /** Subscribe to pushes and learn what the host offers. Returns the unsubscribe function. */
  async start(): Promise<() => void> {
    const s = this.state;
    const offs = [
      this.session.on('runState', (r) => {
        s.run = r;
        s.dataVersion++;
        if (r.state === 'failed' && r.message) s.banner = { message: r.message };
      }),
      this.session.on('progress', (p) => {
        if (s.run && s.run.runId === p.runId) s.run = { ...s.run, tNs: p.tNs, durationNs: p.durationNs };
        s.dataVersion++;
      }),
      this.session.on('error', (e) => (s.banner = { file: e.file, message: e.message })),
      this.session.on('objectOpened', (o) => this.objectOpened(o)),
      this.session.on('traceOpened', (t) => this.traceOpened(t)),
    ];
    await this.guard('connecting', async () => {
      s.host = await this.session.call('hostInfo', {});
      s.examples = await this.session.call('listExamples', {});
      // A workload that keeps every CPU busy shows the most on a first run.
      const preferred = s.examples.workloads.find((w) => w.name === 'cpu-hogs') ?? s.examples.workloads[0];
      if (!s.choice.workload && preferred) s.choice = { ...s.choice, workload: preferred.name };
    });
    return () => offs.forEach((off) => off());
  }

  private async guard(what: string, fn: () => Promise<void>, file?: string): Promise<void> {
    this.state.busy = what;
    try {
      await fn();
    } catch (e) {
      const f = describeFailure(e);
      this.state.banner = { file: f.file ?? file, message: f.message };
    } finally {
      this.state.busy = null;
    }
  }

  private objectOpened(o: ObjectSummary): void {
    // Knob overrides belong to the object they were typed for.
    if (this.state.scheduler?.sha256 !== o.sha256) this.state.choice = { ...this.state.choice, sets: {} };
    this.state.scheduler = o;
    this.state.banner = null;
  }

  private traceOpened(t: TraceSummary): void {
    const s = this.state;
    s.trace = t;
    s.run = null;
    s.cpus = t.info.machine.cpus;
    s.cursor = 0;
    s.view = { t0: 0, t1: t.durationNs };
    s.snapshot = null;
    s.banner = null;
    s.dataVersion++;
  }

  get nativeDialogs(): boolean {
    return this.state.host?.nativeDialogs ?? false;
  }

  /** Electron: the main process shows the dialog and pushes objectOpened/traceOpened. */
  chooseNative(kind: 'object' | 'trace'): Promise<void> {
    return this.guard(`choosing a ${kind}`, async () => void (await this.session.call('chooseFile', { kind })));
  }

  openObjectFile(file: File): Promise<void> {
    return this.guard(
      `opening ${file.name}`,
      async () => this.objectOpened(await this.session.call('openObject', await uploadRef(file))),
      file.name,
    );
  }

  openExample(name: string): Promise<void> {
    return this.guard(`opening ${name}`, async () => this.objectOpened(await this.session.call('openObject', { example: name })), name);
  }

  openTraceFile(file: File): Promise<void> {
    return this.guard(
      `opening ${file.name}`,
      async () => this.traceOpened(await this.session.call('openTrace', await uploadRef(file))),
      file.name,
    );
  }

  openExampleTrace(name: string): Promise<void> {
    return this.guard(`opening ${name}`, async () => this.traceOpened(await this.session.call('openTrace', { example: name })), name);
  }

  startRun(): Promise<void> {
    const s = this.state;
    const c = s.choice;
    return this.guard('starting the run', async () => {
      const r = await this.session.call('startRun', {
        workload: { preset: c.workload },
        cpus: c.cpus,
        seed: c.seed,
        durationNs: c.durationNs,
        sets: Object.fromEntries(Object.entries(c.sets).filter(([, v]) => v.trim() !== '')),
      });
      s.trace = null;
      s.cpus = c.cpus;
      // A short run may have pushed its runState (even 'finished') before this reply.
      if (s.run?.runId !== r.runId) s.run = { state: 'running', runId: r.runId, tNs: 0, durationNs: c.durationNs, traceFile: r.traceFile };
      s.cursor = 0;
      s.view = { t0: 0, t1: c.durationNs };
      s.snapshot = null;
      s.banner = null;
      s.dataVersion++;
    });
  }

  pause(): Promise<void> {
    return this.guard('pausing', async () => void (this.state.run = await this.session.call('pause', {})));
  }

  resume(): Promise<void> {
    return this.guard('resuming', async () => void (this.state.run = await this.session.call('resume', {})));
  }

  stop(): Promise<void> {
    return this.guard('stopping', async () => void (this.state.run = await this.session.call('stop', {})));
  }

  /** Times of the events nearest the cursor, for stepping. */
  async stepEvent(direction: 1 | -1): Promise<void> {
    const s = this.state;
    const end = s.reachedNs;
    await this.guard('stepping', async () => {
      if (direction > 0) {
        if (s.cursor >= end) return;
        const r = await this.session.call('events', { t0: Math.floor(s.cursor) + 1, t1: end, limit: 1 });
        if (r.events[0]) s.cursor = r.events[0].t;
        return;
      }
      // Backwards: widen a window behind the cursor until it holds an event.
      let span = Math.max(1000, (s.view.t1 - s.view.t0) / 100);
      while (s.cursor > 0) {
        const t0 = Math.max(0, s.cursor - span);
        const t1 = Math.max(0, Math.ceil(s.cursor) - 1);
        const r = await this.session.call('events', { t0, t1, limit: 100_000 });
        const last = r.events[r.events.length - 1];
        if (last && !r.truncated) {
          s.cursor = last.t;
          return;
        }
        if (r.truncated) span /= 8;
        else if (t0 === 0) return;
        else span *= 8;
      }
    });
  }
}

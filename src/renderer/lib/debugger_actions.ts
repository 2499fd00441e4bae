// What the toolbar, empty state and menus do, one function per user action.
// Each reports failure as the banner (file + what is wrong) instead of throwing.
import type { DebuggerState } from './debugger_state.svelte';
import { describeFailure, type Session, uploadRef } from './session_client';
import type { ObjectSummary, TraceSummary } from '../../protocol/contract';
import { eventsBefore, nextEvent, prevEvent, type FetchEvents } from './event_window';
import { workloadRefFor } from './trace_import';
import type { OpenLink } from '../../protocol/open_link';

export class DebuggerActions {
  constructor(
    private readonly session: Session,
    private readonly state: DebuggerState,
    /** A trace to open once connected (the page's `#open=…&at=…`, from `scxray serve --open`). */
    private readonly link?: OpenLink,
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
    if (this.link) await this.openTraceLink(this.link);
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
    if (this.state.scheduler?.sha256 !== o.sha256) this.state.choice = { ...this.state.choice, sets: {}, setup: null };
    this.state.scheduler = o;
    this.state.banner = null;
  }

  private traceOpened(t: TraceSummary): void {
    const s = this.state;
    if (t.truncated && t.eventCount === 0) {
      // Nothing to draw: say what is wrong with the file instead of showing a 0 ns timeline.
      s.banner = {
        file: t.file,
        message: `${t.file} ends before its first whole chunk of events (the recording was cut off early, e.g. the run was killed): there is nothing to replay. Record the run again.`,
      };
      return;
    }
    s.trace = t;
    s.run = null;
    s.cpus = t.info.machine.cpus;
    // The run controls start from the recorded run's workload and machine, not from unrelated earlier picks.
    const workload = s.examples.workloads.find((w) => w.name === t.info.workload);
    s.choice = { ...s.choice, cpus: t.info.machine.cpus, ...(workload ? { workload: workload.name } : {}) };
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

  /** A setup module the user picked (it runs code): kept for the next runs until cleared. */
  chooseSetupFile(file: File): Promise<void> {
    return this.guard(`reading ${file.name}`, async () => void (this.state.choice = { ...this.state.choice, setup: await uploadRef(file) }), file.name);
  }

  clearSetup(): void {
    this.state.choice = { ...this.state.choice, setup: null };
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

  /** Open a trace by the path the host was started for, with the cursor at an instant (a failing test's, a fuzzer's find). */
  openTraceLink(link: OpenLink): Promise<void> {
    return this.guard(
      `opening ${link.path}`,
      async () => {
        this.traceOpened(await this.session.call('openTrace', { path: link.path }));
        if (link.atNs !== undefined && this.state.trace) {
          this.state.cursor = link.atNs;
          this.state.dataVersion++;
        }
      },
      link.path,
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
        workload: workloadRefFor(s),
        cpus: c.cpus,
        seed: c.seed,
        durationNs: c.durationNs,
        sets: Object.fromEntries(Object.entries(c.sets).filter(([, v]) => v.trim() !== '')),
        ...(c.setup ? { setup: c.setup } : {}),
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

  /**
   * "Save trace as…": a run's trace is a temp file the host deletes when this window or tab closes. Electron
   * asks where to keep it; the browser host hands out a one-time download.
   */
  saveTrace(): Promise<void> {
    return this.guard('saving the trace', async () => {
      const r = await this.session.call('saveTrace', {});
      if (!r.downloadUrl) return;
      const a = document.createElement('a');
      a.href = r.downloadUrl;
      a.download = '';
      document.body.append(a);
      a.click();
      a.remove();
    });
  }

  /**
   * Step the cursor to the next or previous event, one event at a time even
   * when many share a timestamp; with `byTime`, to the next or previous
   * instant that has events.
   */
  async stepEvent(direction: 1 | -1, byTime = false): Promise<void> {
    const s = this.state;
    const end = s.reachedNs + 1; // events are t0 <= t < t1: an event at the last instant counts
    const fetch: FetchEvents = (t0, t1, limit) => this.session.call('events', { t0, t1: Math.max(t0, t1), limit });
    const span = Math.max(1000, (s.view.t1 - s.view.t0) / 100);
    await this.guard('stepping', async () => {
      if (!byTime) {
        const cur = { t: s.cursor, seq: s.cursorSeq };
        const to = direction > 0 ? await nextEvent(fetch, cur, end) : await prevEvent(fetch, cur, span);
        if (to) s.setCursorAt(to.t, to.seq);
        return;
      }
      if (direction > 0) {
        if (s.cursor >= s.reachedNs) return;
        const r = await fetch(Math.floor(s.cursor) + 1, end, 1);
        if (r.events[0]) s.cursor = r.events[0].t;
        return;
      }
      const before = await eventsBefore(fetch, s.cursor, 1, span);
      const last = before.events[before.events.length - 1];
      if (last) s.cursor = last.t;
    });
  }
}

// The debugger's small UI state, shared by the components as runes. Bulk data
// (run slices, event lists) lives outside deep reactivity: snapshots and
// event pages are $state.raw, replaced whole, never mutated in place.
import type { ExampleList, HostInfo, ObjectSummary, RunStatus, TraceSummary } from '../../protocol/contract';
import type { ExitInfo, SimEvent, SimSnapshot } from '../../model/events';
import type { ImportedSchedTrace } from '../../protocol/sched_import';
import type { Flows } from '../../protocol/flows';

export interface Banner {
  file?: string;
  message: string;
}

/** What is selected: a heap object or a task; highlighted in every view. */
export type Selection = { kind: 'obj'; id: number } | { kind: 'task'; pid: number } | null;

export interface RunChoice {
  workload: string;
  cpus: number;
  seed: number;
  durationNs: number;
  /** Global variables to set before load (rodata knobs), like `scxray run --set name=value`. */
  sets: Record<string, string>;
  /** The setup module for the next runs (the scheduler's userspace half; it runs code), as uploaded. */
  setup: { name: string; dataBase64: string } | null;
}

export class DebuggerState {
  host = $state.raw<HostInfo | null>(null);
  examples = $state.raw<ExampleList>({ schedulers: [], workloads: [], traces: [] });
  scheduler = $state.raw<ObjectSummary | null>(null);
  trace = $state.raw<TraceSummary | null>(null);
  run = $state.raw<RunStatus | null>(null);
  /** Number of CPU lanes on the timeline (the run's or the trace's machine). */
  cpus = $state(0);
  banner = $state<Banner | null>(null);
  busy = $state<string | null>(null);
  choice = $state<RunChoice>({ workload: '', cpus: 4, seed: 1, durationNs: 200_000_000, sets: {}, setup: null });
  /** A scheduling trace from a real machine imported by drag and drop (lib/trace_import.ts): its workload and original tracks. */
  imported = $state.raw<ImportedSchedTrace | null>(null);

  #cursor = $state(0);
  /**
   * Which of the events at the cursor's instant it stands on (0 = the first):
   * stepping goes event by event even when many share a timestamp.
   */
  cursorSeq = $state(0);
  /** Diagnostics and exit events of the whole run or trace, in time order (DiagnosticsFetcher keeps them). */
  diags = $state.raw<SimEvent[]>([]);
  /** The setup module's print() lines and every() rounds of the open run or trace, for timeline markers. */
  setupMarks = $state.raw<{ t: number; text: string; every: boolean }[]>([]);
  /** A diagnostic the user picked (marker or list), shown highlighted in the Diagnostics tab. */
  focusedDiag = $state<number | null>(null);
  /**
   * A source line to show in the debugger's source pane (a diagnostic's or an
   * exit's file:line): App opens the panel, the pane selects the file and
   * marks the line. `seq` makes asking for the same line twice count. `program` resolves an empty file, and
   * line 0 to where that program starts (lib/source_focus.ts opens it from events, objects and op names).
   */
  sourceFocus = $state<{ file: string; line: number; program?: string; seq: number } | null>(null);
  /** Global variables pinned from the globals panel: each gets a counter track under the lanes (ChangeTracks). */
  pinnedGlobals = $state.raw<string[]>([]);
  /** Asks the drawer to show a tab (a marker click opens Diagnostics). */
  drawerTab = $state<'events' | 'diagnostics' | null>(null);

  /** The instant the state views show, always inside the recorded time [0, reachedNs]. */
  get cursor(): number {
    return Math.max(0, Math.min(this.#cursor, this.reachedNs));
  }
  set cursor(t: number) {
    this.#cursor = Math.max(0, Math.min(Number.isFinite(t) ? t : 0, this.reachedNs));
    this.cursorSeq = 0;
  }

  /** Move the cursor to the seq-th event at instant t. */
  setCursorAt(t: number, seq: number): void {
    this.cursor = t;
    this.cursorSeq = seq;
  }
  /** The visible window of the timeline, in ns. */
  view = $state({ t0: 0, t1: 0 });
  /**
   * A time range the user selected (drag on the timeline), in ns; null = none. The range aggregates, the source
   * pane's per-line counts and the flows use it; when null they use the visible window (`view`).
   */
  range = $state.raw<{ t0: number; t1: number } | null>(null);
  /** The selected task's or object's flows over `range` (else `view`), kept by FlowsFetcher; drawn over the lanes and the change tracks. */
  flows = $state.raw<Flows | null>(null);
  /**
   * "Diff against instant T" in the tree and list views: T, and the state at T once SnapshotFetcher has it
   * (null until then); null = no diff. Another run or trace ends it.
   */
  diffBase = $state.raw<{ t: number; snapshot: SimSnapshot | null } | null>(null);
  snapshot = $state.raw<SimSnapshot | null>(null);
  /** The state inside the op call the debugger is paused in; the state views show it while the cursor is at its instant. */
  pausedSnapshot = $state.raw<SimSnapshot | null>(null);
  /** The op event last picked in the events table, for the debugger's "Debug this call"; nth = which of identical (t, op, cpu, pid) calls. */
  pickedOp = $state.raw<{ t: number; op: string; cpu: number; pid: number; nth: number } | null>(null);
  selection = $state<Selection>(null);
  /** Bumped when the timeline's data changed (progress of a live run). */
  dataVersion = $state(0);
  /** pid -> comm, learnt from snapshots, for labels and tooltips. */
  // Replaced whole (never mutated) so $state.raw suffices.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  comms = $state.raw<Map<number, string>>(new Map());

  /** End of the timeline: the live run's planned duration (it fills in as it goes), or the trace's. */
  get endNs(): number {
    // A run that ended early (stopped, ejected, failed) ends where it got to, not at its planned length.
    if (this.run && this.run.state !== 'idle') return Math.max(this.runEnded ? this.run.tNs : this.run.durationNs, 1);
    if (this.trace) return Math.max(this.trace.durationNs, 1);
    return 0;
  }

  /** How far data exists: the live run's progress, or the whole trace. */
  get reachedNs(): number {
    if (this.run && this.run.state !== 'idle') return this.run.tNs;
    return this.trace?.durationNs ?? 0;
  }

  get hasTimeline(): boolean {
    return this.endNs > 0 && this.cpus > 0;
  }

  get runEnded(): boolean {
    const st = this.run?.state;
    return st === 'finished' || st === 'stopped' || st === 'failed';
  }

  /** The scheduler's exit, if the run or trace has one. */
  get exit(): ExitInfo | null {
    for (let i = this.diags.length - 1; i >= 0; i--) {
      const e = this.diags[i]!;
      if (e.kind === 'exit') return e.exit;
    }
    return null;
  }

  /** The exit was an error (the kernel would have ejected the scheduler), not an unregistration. */
  get ejected(): boolean {
    const x = this.exit;
    return !!x && x.kind.startsWith('SCX_EXIT_ERROR');
  }

  get isRunning(): boolean {
    return this.run?.state === 'running';
  }

  select(sel: Selection): void {
    const same =
      sel && this.selection && sel.kind === this.selection.kind &&
      (sel.kind === 'obj' ? sel.id === (this.selection as { id: number }).id : sel.pid === (this.selection as { pid: number }).pid);
    this.selection = same ? null : sel;
  }

  isSelectedObj(id: number): boolean {
    return this.selection?.kind === 'obj' && this.selection.id === id;
  }

  isSelectedTask(pid: number): boolean {
    return this.selection?.kind === 'task' && this.selection.pid === pid;
  }

  learnComms(snap: SimSnapshot): void {
    let changed = false;
    for (const t of snap.tasks) if (this.comms.get(t.pid) !== t.comm) changed = true;
    if (!changed) return;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a fresh map assigned to a $state.raw field
    const next = new Map(this.comms);
    for (const t of snap.tasks) next.set(t.pid, t.comm);
    this.comms = next;
  }

  commOf(pid: number): string {
    if (pid === 0) return 'idle';
    return this.comms.get(pid) ?? `pid ${pid}`;
  }

  /** "comm (pid)" once the comm is known, else "pid N" (never "pid N (N)"). */
  taskLabel(pid: number): string {
    if (pid === 0) return 'idle';
    const comm = this.comms.get(pid);
    return comm ? `${comm} (${pid})` : `pid ${pid}`;
  }
}

// The debugger panel's state and actions: the object's source files,
// breakpoints (kept per object hash in localStorage, so they persist), the
// current stop the session answered with, watches and the memory viewer.
// Every action is one session request; the engine re-executes to the paused
// position, so the UI only ever shows whole stops.
import type { DebugSource, DebugStop, EvalResult } from '../../protocol/debug_contract';
import type { DebuggerState } from './debugger_state.svelte';
import { describeFailure, type Session } from './session_client';

export interface UiBreakpoint {
  where: string;
  cond?: string;
  /** Hits to let pass before stopping. */
  ignore?: number;
  id?: number;
  error?: string;
}

type Paused = Extract<DebugStop, { state: 'paused' }>;

const STORE_PREFIX = 'scxray.breakpoints.';

export class DebugView {
  source = $state.raw<DebugSource | null>(null);
  fileIndex = $state(0);
  breakpoints = $state.raw<UiBreakpoint[]>([]);
  breakOnDiagnostic = $state(false);
  breakOnErrorExit = $state(false);
  stop = $state.raw<DebugStop | null>(null);
  watches = $state.raw<string[]>([]);
  memory = $state.raw<EvalResult | null>(null);
  busy = $state<string | null>(null);
  error = $state<string | null>(null);
  private sha = '';

  constructor(private readonly session: Session, private readonly dbg: DebuggerState) {}

  get paused(): Paused | null {
    return this.stop?.state === 'paused' ? this.stop : null;
  }

  get file(): DebugSource['files'][number] | undefined {
    return this.source?.files[this.fileIndex];
  }

  /** Show the file a diagnostic names (line_info's path, or its last part); '' keeps the current one. */
  showFile(file: string): void {
    if (!file || !this.source) return;
    const tail = file.split('/').pop();
    const i = this.source.files.findIndex((f) => f.file === file || f.file.split('/').pop() === tail);
    if (i >= 0) this.fileIndex = i;
  }

  /**
   * Show a source file the user picked in place of the shown one, when it says at every line with code what
   * the object's line_info says there (else the error names the first line that differs).
   */
  useLocalFile(name: string, text: string): void {
    const f = this.file;
    if (!f || !this.source) return;
    const known = f.text.split('\n');
    const mine = text.split('\n');
    for (const n of f.codeLines) {
      const want = known[n - 1]?.trim() ?? '';
      if (want !== '' && mine[n - 1]?.trim() !== want) {
        this.error = `${name} line ${n} reads "${(mine[n - 1] ?? '').trim()}" where the object's line_info has "${want}": not the source ${f.file.split('/').pop()} was built from`;
        return;
      }
    }
    this.error = null;
    const files = this.source.files.map((x) => (x === f ? { ...x, text, origin: 'disk' as const } : x));
    this.source = { ...this.source, files };
  }

  /** The loaded object changed: fetch its source and its saved breakpoints. */
  async objectChanged(sha: string): Promise<void> {
    this.sha = sha;
    this.stop = null;
    this.dbg.pausedSnapshot = null;
    this.memory = null;
    await this.guard('source', async () => {
      this.source = await this.session.call('debugSource', {});
      this.fileIndex = 0;
      const saved = globalThis.localStorage?.getItem(STORE_PREFIX + sha);
      const list = saved ? (JSON.parse(saved) as UiBreakpoint[]) : [];
      await this.apply(list.map((b) => ({ where: b.where, ...(b.cond ? { cond: b.cond } : {}), ...(b.ignore ? { ignore: b.ignore } : {}) })));
    });
  }

  /** The line breakpoints of the shown file, by line number. */
  linesWithBreakpoints(): ReadonlySet<number> {
    const f = this.file;
    // a fresh set per call, never mutated afterwards: no reactivity needed
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    if (!f) return new Set();
    const base = f.file.split('/').pop()!;
    const lines: number[] = [];
    for (const b of this.breakpoints) {
      const m = /^(.+):(\d+)$/.exec(b.where);
      if (m && m[1]!.split('/').pop() === base && b.id !== undefined) lines.push(Number(m[2]));
    }
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    return new Set(lines);
  }

  async toggleLine(line: number): Promise<void> {
    const f = this.file;
    if (!f) return;
    const where = `${f.file.split('/').pop()}:${line}`;
    const has = this.breakpoints.some((b) => b.where === where);
    await this.apply(has ? this.breakpoints.filter((b) => b.where !== where) : [...this.breakpoints, { where }]);
  }

  async add(where: string, cond: string, ignore = 0): Promise<void> {
    if (where.trim() === '') return;
    await this.apply([...this.breakpoints, { where: where.trim(), ...(cond.trim() ? { cond: cond.trim() } : {}), ...(ignore > 0 ? { ignore } : {}) }]);
  }

  async remove(i: number): Promise<void> {
    await this.apply(this.breakpoints.filter((_, j) => j !== i));
  }

  async setBreakOn(what: 'diagnostic' | 'errorExit', on: boolean): Promise<void> {
    if (what === 'diagnostic') this.breakOnDiagnostic = on;
    else this.breakOnErrorExit = on;
    await this.apply(this.breakpoints);
  }

  private async apply(list: UiBreakpoint[]): Promise<void> {
    await this.guard('breakpoints', async () => {
      const r = await this.session.call('debugSetBreakpoints', {
        breakpoints: list.map((b) => ({ where: b.where, ...(b.cond ? { cond: b.cond } : {}), ignore: b.ignore ?? 0 })),
        breakOn: { diagnostic: this.breakOnDiagnostic, errorExit: this.breakOnErrorExit },
      });
      this.breakpoints = r.breakpoints.map((b, i) => ({ ...b, ...(list[i]?.ignore ? { ignore: list[i]!.ignore } : {}) }));
      globalThis.localStorage?.setItem(STORE_PREFIX + this.sha, JSON.stringify(this.breakpoints.filter((b) => b.id !== undefined).map((b) => ({ where: b.where, cond: b.cond, ignore: b.ignore }))));
    });
  }

  async start(): Promise<void> {
    const c = this.dbg.choice;
    await this.guard('running to a breakpoint', async () => {
      this.shown(await this.session.call('debugStart', {
        run: { workload: c.workload || 'cpu-hogs', cpus: c.cpus, seed: c.seed, durationNs: c.durationNs, sets: c.sets },
        watches: this.watches,
      }));
    });
  }

  async resume(mode: 'continue' | 'step' | 'next' | 'finish' | 'stepi'): Promise<void> {
    await this.guard(mode, async () => this.shown(await this.session.call('debugResume', { mode, watches: this.watches })));
  }

  async reverse(mode: 'step' | 'stepi'): Promise<void> {
    await this.guard('reverse ' + mode, async () => this.shown(await this.session.call('debugReverse', { mode, watches: this.watches })));
  }

  /** "Debug this call" on an op event of the timeline. */
  async debugCall(ev: { t: number; op: string; cpu: number; pid: number; nth: number }): Promise<void> {
    await this.guard('re-running to the call', async () => this.shown(await this.session.call('debugCall', { ...ev, watches: this.watches })));
  }

  async inspect(expr: string): Promise<void> {
    if (expr.trim() === '') return;
    await this.guard('evaluating', async () => {
      this.memory = await this.session.call('debugEval', { expr: expr.trim(), depth: 3 });
    });
  }

  async addWatch(expr: string): Promise<void> {
    const e = expr.trim();
    if (e === '') return;
    this.watches = [...this.watches, e];
    const here = this.paused;
    if (!here) return;
    // evaluate it now at the paused position; later stops carry it
    await this.guard('evaluating', async () => {
      const r = await this.session.call('debugEval', { expr: e, depth: 1 });
      if (this.stop === here) this.stop = { ...here, watches: [...here.watches, { expr: e, ...(r.value !== undefined ? { value: r.value } : {}), ...(r.error ? { error: r.error } : {}) }] };
    });
  }

  removeWatch(i: number): void {
    this.watches = this.watches.filter((_, j) => j !== i);
  }

  private shown(stop: DebugStop): void {
    this.stop = stop;
    this.memory = null;
    if (stop.state !== 'paused') {
      this.dbg.pausedSnapshot = null;
      return;
    }
    // the source pane follows the stop into whichever file it is in
    const i = this.source?.files.findIndex((f) => stop.file !== undefined && f.file === stop.file) ?? -1;
    if (i >= 0) this.fileIndex = i;
    // the rest of the UI shows the paused instant: the cursor moves there and the state views show the state inside the op
    this.dbg.pausedSnapshot = stop.snapshot ?? null;
    if (this.dbg.hasTimeline) this.dbg.cursor = stop.tNs;
    if (stop.snapshot) this.dbg.snapshot = stop.snapshot;
  }

  private async guard(what: string, fn: () => Promise<void>): Promise<void> {
    this.busy = what;
    this.error = null;
    try {
      await fn();
    } catch (e) {
      this.error = describeFailure(e).message;
    } finally {
      this.busy = null;
    }
  }
}

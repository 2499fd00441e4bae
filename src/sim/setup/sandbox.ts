// Where a setup module's code runs: a node:vm context in the engine's own
// thread whose globals are only the JavaScript built-ins plus `print` and a
// console that prints — no require, import, process, fs, network, timers or
// eval; Math.random is the run's seeded generator and Date.now virtual time,
// so the same seed repeats the same run. Every call into the module (its phase functions, `every` callbacks,
// `userTask` bodies) runs under a wall-clock budget, so an endless loop is a
// clear error instead of a hung run. Errors become SetupErrors naming the
// module's file and line (mapped back through esbuild's source map).
//
// node:vm separates globals, not privileges: host objects handed in (the
// skeleton) still lead back to the host realm for code that goes looking.
// That is why a setup module is accepted only from the local user, the same
// rule as opening an object (docs/userspace.md).

import vm from 'node:vm';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { SetupError, type SetupModule } from './module';

/** Default budget of one call into a setup module. */
export const DEFAULT_SETUP_BUDGET_MS = 2000;

export type SetupFunction = (...args: unknown[]) => unknown;

export class SetupSandbox {
  private readonly context: vm.Context;
  private readonly trampoline = new vm.Script('__scxray_call.fn(...__scxray_call.args)', { filename: 'scxray-setup-call' });
  private readonly map: TraceMap;
  readonly exports: Record<string, unknown>;

  constructor(
    readonly module: SetupModule,
    private readonly budgetMs: number,
    print: (text: string) => void,
    /** Math.random and Date.now inside the module: the run's seeded generator and virtual time, so runs repeat. */
    clock: { random: () => number; nowMs: () => number } = { random: Math.random, nowMs: Date.now },
  ) {
    this.map = new TraceMap(module.sourceMap);
    const show = (args: unknown[]) => print(args.map(formatValue).join(' '));
    const globals: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    globals.print = (...args: unknown[]) => show(args);
    globals.console = { log: (...a: unknown[]) => show(a), info: (...a: unknown[]) => show(a), warn: (...a: unknown[]) => show(a), error: (...a: unknown[]) => show(a) };
    this.context = vm.createContext(globals, { name: `setup ${module.file}`, codeGeneration: { strings: false, wasm: false } });
    this.context.__scxray_clock = clock;
    new vm.Script('(() => { const c = globalThis.__scxray_clock; delete globalThis.__scxray_clock; Math.random = () => c.random(); Date.now = () => c.nowMs(); })()').runInContext(this.context);
    // the wrapper stays on line 1 so the module's line numbers are unchanged
    const script = new vm.Script(`(function (exports, module, require) {${module.code}\n})`, { filename: module.file });
    const mod = { exports: {} as Record<string, unknown> };
    const wrapper = this.run(() => script.runInContext(this.context, { timeout: this.budgetMs }), 'loading the module') as SetupFunction;
    const noRequire = (name: unknown) => {
      throw new SetupError(`${module.file}: setup modules cannot import or require (${String(name)}); they run with only the skeleton API`, module.file);
    };
    this.call(wrapper, [mod.exports, mod, noRequire], 'loading the module');
    this.exports = mod.exports;
  }

  /** The exported function `name`, or undefined when the module does not export it. */
  exported(name: string): SetupFunction | undefined {
    const f = this.exports[name] ?? (this.exports.default as Record<string, unknown> | undefined)?.[name];
    if (f === undefined) return undefined;
    if (typeof f !== 'function') throw new SetupError(`${this.module.file}: export ${name} must be a function`, this.module.file);
    return f as SetupFunction;
  }

  /** Call `fn` (code of the module) under the budget; `what` says which call for messages. */
  call(fn: SetupFunction, args: unknown[], what: string): unknown {
    this.context.__scxray_call = { fn, args };
    try {
      const r = this.run(() => this.trampoline.runInContext(this.context, { timeout: this.budgetMs }), what);
      if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') {
        throw new SetupError(`${this.module.file}: ${what} returned a promise; setup functions must be synchronous (virtual time does not wait for await)`, this.module.file);
      }
      return r;
    } finally {
      this.context.__scxray_call = undefined;
    }
  }

  private run(f: () => unknown, what: string): unknown {
    try {
      return f();
    } catch (e) {
      throw this.toSetupError(e, what);
    }
  }

  private toSetupError(e: unknown, what: string): SetupError {
    if (e instanceof SetupError && e.line !== undefined) return e;
    const file = this.module.file;
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      return new SetupError(`${file}: ${what} ran past its ${this.budgetMs} ms budget (an endless loop?) and was stopped`, file);
    }
    const line = this.lineOf(e);
    const message = e instanceof SetupError ? e.message.replace(new RegExp(`^${escapeRe(file)}: `), '') : describeThrown(e);
    return new SetupError(`${file}${line !== undefined ? `:${line}` : ''}: ${what}: ${message}`, file, line);
  }

  /** The first stack frame in the module's file, mapped back to the source line. */
  private lineOf(e: unknown): number | undefined {
    const stack = (e as { stack?: unknown } | null)?.stack;
    if (typeof stack !== 'string') return undefined;
    const re = new RegExp(`${escapeRe(this.module.file)}:(\\d+):(\\d+)`);
    const m = re.exec(stack);
    if (m === null) return undefined;
    const line = Number(m[1]);
    const column = Number(m[2]) - 1;
    const pos = originalPositionFor(this.map, { line, column: Math.max(0, column) });
    if (pos.line !== null) return pos.line;
    return originalPositionFor(this.map, { line, column: 0 }).line ?? line;
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function describeThrown(e: unknown): string {
  if (e !== null && typeof e === 'object' && 'message' in e) {
    const name = (e as { name?: unknown }).name;
    const msg = String((e as { message: unknown }).message);
    return typeof name === 'string' && name !== 'Error' && name !== 'TypedValueError' && name !== 'SetupError' ? `${name}: ${msg}` : msg;
  }
  return `threw ${formatValue(e)}`;
}

/** print()'s formatting: strings as is, BigInt without the n, objects as JSON (BigInt inside as strings). */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (v !== null && typeof v === 'object') {
    try {
      return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
    } catch {
      return String(v);
    }
  }
  return String(v);
}

// Opening the source pane from anywhere: an event (its recorded site, or the
// program an op or printk ran), an object's allocation site, a program or op
// name. Each asks through dbg.sourceFocus; the debugger panel resolves a
// program to where it starts (debugSource's programs) and a file by its
// last path part, then marks the line.
import type { SimEvent } from '../../model/events';
import type { ObjectSummary } from '../../protocol/contract';
import type { DebugSource } from '../../protocol/debug_contract';
import type { DebuggerState } from './debugger_state.svelte';
import { sourceSite } from './diag_focus';

/** A place in the source: a file and line, or a program (line 0 = where it starts), or both. */
export interface SourceRef {
  file?: string;
  line?: number;
  program?: string;
}

/** The program implementing sched_ext_ops member `op` in the opened object. */
export function opProgram(scheduler: ObjectSummary | null, op: string): string | undefined {
  for (const s of scheduler?.structOps ?? []) for (const o of s.ops) if (o.op === op) return o.program;
  return undefined;
}

/** Where event `e` happened in the source, when the trace says (or the opened object knows its op's program). */
export function eventSourceRef(e: SimEvent, scheduler: ObjectSummary | null): SourceRef | undefined {
  switch (e.kind) {
    case 'diagnostic':
    case 'exit': {
      const s = sourceSite(e);
      const program = e.kind === 'diagnostic' ? e.diag.program : e.exit.program;
      if (!s && !program) return undefined;
      return { ...(s?.file ? { file: s.file } : {}), ...(s?.line ? { line: s.line } : {}), ...(program ? { program } : {}) };
    }
    case 'obj_new':
    case 'obj_owner':
    case 'obj_free': {
      const s = e.site;
      if (!s) return undefined;
      return { program: s.program, ...(s.file ? { file: s.file } : {}), ...(s.line ? { line: s.line } : {}) };
    }
    case 'op': {
      const program = opProgram(scheduler, e.op);
      return program ? { program } : undefined;
    }
    case 'printk':
      return e.program && e.program !== 'setup' ? { program: e.program } : undefined;
    default:
      return undefined;
  }
}

/** Ask the source pane to show `ref` (App opens the debugger panel). */
export function openSource(dbg: DebuggerState, ref: SourceRef): void {
  dbg.sourceFocus = { file: ref.file ?? '', line: ref.line ?? 0, ...(ref.program ? { program: ref.program } : {}), seq: (dbg.sourceFocus?.seq ?? 0) + 1 };
}

/**
 * Which file (index into `source.files`) and line a focus means: its file by full path or last part, else the
 * program's file; line 0 means where the program starts. Null when the object's source has neither.
 */
export function resolveFocus(source: DebugSource | null, focus: SourceRef): { fileIndex: number; line: number } | null {
  if (!source) return null;
  const byName = (file: string): number => {
    const tail = file.split('/').pop();
    return source.files.findIndex((f) => f.file === file || f.file.split('/').pop() === tail);
  };
  const start = focus.program ? source.programs?.find((p) => p.name === focus.program) : undefined;
  let fileIndex = focus.file ? byName(focus.file) : -1;
  if (fileIndex < 0 && start) fileIndex = byName(start.file);
  if (fileIndex < 0) return null;
  const line = focus.line || (start && byName(start.file) === fileIndex ? start.line : 0);
  return line > 0 ? { fileIndex, line } : null;
}

/** The gutter text of the shown file's lines from a lineCounts answer: "N×" op calls on a program's first line, then ownership events. */
export function gutterCounts(
  file: string,
  counts: { lines: { file: string; line: number; alloc: number; move: number; free: number }[]; ops: { op: string; calls: number }[] },
  source: DebugSource | null,
  scheduler: ObjectSummary | null,
): { text: Map<number, string>; title: Map<number, string> } {
  const tail = file.split('/').pop();
  const same = (f: string): boolean => f === file || (f !== '' && f.split('/').pop() === tail);
  // per line: calls of the ops whose program starts there, and ownership events
  const calls = new Map<number, number>();
  for (const o of counts.ops) {
    const program = opProgram(scheduler, o.op);
    const start = program ? source?.programs?.find((p) => p.name === program) : undefined;
    if (start && same(start.file)) calls.set(start.line, (calls.get(start.line) ?? 0) + o.calls);
  }
  const owned = new Map<number, { alloc: number; move: number; free: number }>();
  for (const r of counts.lines) {
    if (!same(r.file)) continue;
    const o = owned.get(r.line) ?? { alloc: 0, move: 0, free: 0 };
    owned.set(r.line, { alloc: o.alloc + r.alloc, move: o.move + r.move, free: o.free + r.free });
  }
  const text = new Map<number, string>();
  const title = new Map<number, string>();
  for (const line of new Set([...calls.keys(), ...owned.keys()])) {
    const c = calls.get(line);
    const o = owned.get(line);
    const n = o ? o.alloc + o.move + o.free : 0;
    text.set(line, [c !== undefined ? `${c}×` : '', n > 0 ? String(n) : ''].filter(Boolean).join(' '));
    const parts: string[] = [];
    if (c !== undefined) parts.push(`called ${c} times`);
    if (o) {
      const kinds = [o.alloc ? `${o.alloc} allocated` : '', o.move ? `${o.move} owner changes` : '', o.free ? `${o.free} freed` : ''].filter(Boolean);
      parts.push(`${n} ownership events (${kinds.join(', ')})`);
    }
    title.set(line, parts.join('; '));
  }
  return { text, title };
}

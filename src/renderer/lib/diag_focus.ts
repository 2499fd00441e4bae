// What picking a diagnostic or the exit (a timeline marker, a row of the
// Diagnostics tab) does: the cursor goes to its instant, the object it names
// is selected, the Diagnostics tab opens on it, and the debugger's source
// pane opens at the line it names.
import type { SimEvent } from '../../model/events';
import type { DebuggerState } from './debugger_state.svelte';

/** The heap object a diagnostic message names ("... obj 17 (struct node) ..."), if any. */
export function diagObject(e: SimEvent): number | null {
  if (e.kind !== 'diagnostic') return null;
  const m = /\bobj #?(\d+)\b/.exec(e.diag.message);
  return m ? Number(m[1]) : null;
}

/** One line for a marker's tooltip and label: kind, message, source site. */
export function diagSummary(e: SimEvent): string {
  if (e.kind === 'diagnostic') {
    const d = e.diag;
    const where = [d.program, d.file ? `${d.file.split('/').pop()}:${d.line ?? '?'}` : ''].filter(Boolean).join(' · ');
    const site = where ? ` (${where})` : '';
    return `${d.kind}: ${d.message}${site}`;
  }
  if (e.kind === 'exit') {
    const x = e.exit;
    const site = x.program ? ` (${x.program}${x.line ? `:${x.line}` : ''})` : '';
    return `exit ${x.kind}: ${x.reason}${x.message ? ` — ${x.message}` : ''}${site}`;
  }
  return e.kind;
}

export function focusDiag(dbg: DebuggerState, index: number): void {
  const e = dbg.diags[index];
  if (!e) return;
  dbg.cursor = e.t;
  const obj = diagObject(e);
  if (obj !== null) dbg.selection = { kind: 'obj', id: obj };
  dbg.focusedDiag = index;
  dbg.drawerTab = 'diagnostics';
  // ... and the source pane shows the line it names.
  const site = sourceSite(e);
  const program = e.kind === 'diagnostic' ? e.diag.program : e.kind === 'exit' ? e.exit.program : undefined;
  if (site) dbg.sourceFocus = { ...site, ...(program ? { program } : {}), seq: (dbg.sourceFocus?.seq ?? 0) + 1 };
}

/** The file:line a diagnostic or exit names, when it names both. */
export function sourceSite(e: SimEvent): { file: string; line: number } | undefined {
  if (e.kind === 'diagnostic' && e.diag.file && e.diag.line) return { file: e.diag.file, line: e.diag.line };
  // An exit names its program and line, not the file: the pane keeps the file it shows.
  if (e.kind === 'exit' && e.exit.line) return { file: '', line: e.exit.line };
  return undefined;
}

/** The leak diagnostic naming object `obj` at or before `t` (the object is leaked from then on), if any. */
export function leakOf(diags: readonly SimEvent[], obj: number, t: number): (SimEvent & { kind: 'diagnostic' }) | null {
  for (const e of diags) {
    if (e.t > t) break;
    if (e.kind === 'diagnostic' && e.diag.kind === 'leak' && diagObject(e) === obj) return e;
  }
  return null;
}

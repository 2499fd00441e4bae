// The search box's matcher (SearchBox.svelte, Ctrl+K): a query is a pid or
// comm, an object id ("17", "#17", "obj 17"), an op name ("enqueue") or an
// event kind ("dsq_insert", "diagnostic"). Matches come from the events the
// box fetched; each hit says where the cursor goes and what gets selected.

import type { SimEvent, SimEventKind } from '../../model/events';
import type { Selection } from './debugger_state.svelte';
import { eventText } from './event_text';
import { formatDuration } from './format';

export const EVENT_KINDS: readonly SimEventKind[] = [
  'task_new', 'task_exit', 'task_state', 'switch', 'op', 'dsq_create', 'dsq_insert', 'dsq_remove', 'kick', 'idle',
  'obj_new', 'obj_owner', 'obj_free', 'ringbuf', 'printk', 'diagnostic', 'exit',
];

export interface SearchHit {
  /** What it is: "task", "object", "op", or the event kind. */
  group: string;
  text: string;
  t: number;
  select: Selection;
}

export interface ParsedQuery {
  text: string;
  /** A number in the query: a pid or an object id. */
  num: number | null;
  /** Only objects ("#17", "obj 17") or only tasks ("pid 42"). */
  only: 'obj' | 'task' | null;
  /** The event kind named exactly. */
  kind: SimEventKind | null;
}

export function parseQuery(q: string): ParsedQuery {
  const text = q.trim().toLowerCase();
  let m = /^(?:#|obj\s*)(\d+)$/.exec(text);
  if (m) return { text, num: Number(m[1]), only: 'obj', kind: null };
  m = /^pid\s*(\d+)$/.exec(text);
  if (m) return { text, num: Number(m[1]), only: 'task', kind: null };
  m = /^(\d+)$/.exec(text);
  const kind = (EVENT_KINDS as readonly string[]).includes(text) ? (text as SimEventKind) : null;
  return { text, num: m ? Number(m[1]) : null, only: null, kind };
}

/** The event kinds a query needs fetched. */
export function kindsFor(p: ParsedQuery): SimEventKind[] {
  if (p.kind) return [p.kind];
  if (p.only === 'obj') return ['obj_new'];
  if (p.only === 'task') return ['task_new'];
  return p.num !== null ? ['task_new', 'obj_new'] : ['task_new', 'op'];
}

/** Hits for `p` among `events` (in time order), at most `limit`, tasks and objects first. */
export function search(p: ParsedQuery, events: SimEvent[], limit = 40): SearchHit[] {
  if (!p.text) return [];
  const out: SearchHit[] = [];
  const ops: SearchHit[] = [];
  const seenOp = new Map<string, number>();
  for (const e of events) {
    if (out.length >= limit) break;
    if (p.kind) {
      if (e.kind === p.kind) out.push({ group: e.kind, text: eventText(e), t: e.t, select: selectionOf(e) });
      continue;
    }
    if (e.kind === 'task_new') {
      if (p.only === 'obj') continue;
      if ((p.num !== null && e.pid === p.num) || (p.num === null && e.comm.toLowerCase().includes(p.text))) {
        out.push({ group: 'task', text: `${e.comm} · pid ${e.pid} · created at ${formatDuration(e.t)}`, t: e.t, select: { kind: 'task', pid: e.pid } });
      }
    } else if (e.kind === 'obj_new') {
      if (p.only === 'task' || p.num === null || e.obj !== p.num) continue;
      const where = e.site.line ? `${e.site.program}:${e.site.line}` : e.site.program;
      out.push({ group: 'object', text: `obj ${e.obj} · ${e.type} · allocated at ${formatDuration(e.t)} in ${where}`, t: e.t, select: { kind: 'obj', id: e.obj } });
    } else if (e.kind === 'op' && p.num === null && e.op.toLowerCase().startsWith(p.text)) {
      // the first calls of each matching op
      const n = seenOp.get(e.op) ?? 0;
      if (n >= 10) continue;
      seenOp.set(e.op, n + 1);
      ops.push({ group: 'op', text: `${eventText(e)} · CPU ${e.cpu} at ${formatDuration(e.t)}`, t: e.t, select: e.pid >= 0 ? { kind: 'task', pid: e.pid } : null });
    }
  }
  return [...out, ...ops].slice(0, limit);
}

function selectionOf(e: SimEvent): Selection {
  switch (e.kind) {
    case 'obj_new':
    case 'obj_owner':
    case 'obj_free':
      return { kind: 'obj', id: e.obj };
    case 'task_new':
    case 'task_exit':
    case 'task_state':
    case 'dsq_insert':
    case 'dsq_remove':
      return { kind: 'task', pid: e.pid };
    case 'op':
      return e.pid >= 0 ? { kind: 'task', pid: e.pid } : null;
    case 'switch':
      return e.nextPid > 0 ? { kind: 'task', pid: e.nextPid } : null;
    default:
      return null;
  }
}

// The search box's matcher (SearchBox.svelte, Ctrl+K): a query is a pid or
// comm, an object id ("17", "#17", "obj 17"), an op name ("enqueue"), an
// event kind ("dsq_insert", "diagnostic"), part of a kptr slot or graph root
// name ("task_stashes", "tctx": the map, key and field the change tracks
// show) or a source line ("rbtree.bpf.c:116"). Matches come from the events
// the box fetched; each hit says where the cursor goes, what gets selected
// and, for a source line, which line the source pane opens at.

import type { OwnerRef, SimEvent, SimEventKind } from '../../model/events';
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
  /** A source line hit: the pane opens here. */
  source?: { file: string; line: number };
}

export interface ParsedQuery {
  text: string;
  /** A number in the query: a pid or an object id. */
  num: number | null;
  /** Only objects ("#17", "obj 17") or only tasks ("pid 42"). */
  only: 'obj' | 'task' | null;
  /** The event kind named exactly. */
  kind: SimEventKind | null;
  /** A source line, "file.bpf.c:116" (the file as typed, lower case; matched against the end of the recorded path). */
  line: { file: string; line: number } | null;
}

export function parseQuery(q: string): ParsedQuery {
  const text = q.trim().toLowerCase();
  let m = /^(?:#|obj\s*)(\d+)$/.exec(text);
  if (m) return { text, num: Number(m[1]), only: 'obj', kind: null, line: null };
  m = /^pid\s*(\d+)$/.exec(text);
  if (m) return { text, num: Number(m[1]), only: 'task', kind: null, line: null };
  m = /^(\S*[^\s:]):(\d+)$/.exec(text);
  if (m) return { text, num: null, only: null, kind: null, line: { file: m[1]!, line: Number(m[2]) } };
  m = /^(\d+)$/.exec(text);
  const kind = (EVENT_KINDS as readonly string[]).includes(text) ? (text as SimEventKind) : null;
  return { text, num: m ? Number(m[1]) : null, only: null, kind, line: null };
}

/** Whether a recorded source path is the file a query names: the same path, or one ending in it after a '/'. */
export function sameFile(recorded: string, typed: string): boolean {
  const r = recorded.toLowerCase();
  return r === typed || r.endsWith('/' + typed);
}

/** The kptr slot or graph root an owner names, with the words for it. */
function containerOf(o: OwnerRef): { key: string; what: string } | null {
  if (o.kind === 'kptr') return { key: o.slot, what: 'kptr slot' };
  if (o.kind === 'rb_root') return { key: o.root, what: 'rbtree' };
  if (o.kind === 'list_head') return { key: o.root, what: 'list' };
  return null;
}

/** Where an ownership event or a diagnostic happened in the source, when the trace says. */
function siteOf(e: SimEvent): { file?: string; line?: number } | undefined {
  if (e.kind === 'obj_new' || e.kind === 'obj_owner' || e.kind === 'obj_free') return e.site;
  if (e.kind === 'diagnostic') return e.diag;
  return undefined;
}

/** The event kinds a query needs fetched. */
export function kindsFor(p: ParsedQuery): SimEventKind[] {
  if (p.kind) return [p.kind];
  if (p.line) return ['obj_new', 'obj_owner', 'obj_free', 'diagnostic'];
  if (p.only === 'obj') return ['obj_new'];
  if (p.only === 'task') return ['task_new'];
  // text: comms, op names, and the slots and roots objects move through
  return p.num !== null ? ['task_new', 'obj_new'] : ['task_new', 'op', 'obj_owner'];
}

/**
 * Hits for `p` among `events` (in time order), at most `limit`: tasks and objects first, then slots and roots,
 * then ops. A source line lists its events from the first after `cursor` on (the next one first), then the
 * earlier ones.
 */
export function search(p: ParsedQuery, events: SimEvent[], limit = 40, cursor = -Infinity): SearchHit[] {
  if (!p.text) return [];
  if (p.line) return lineHits(p.line, events, limit, cursor);
  const out: SearchHit[] = [];
  const ops: SearchHit[] = [];
  const seenOp = new Map<string, number>();
  // each matching slot or root once, at the first event that moves an object in or out of it
  const containers = new Map<string, SearchHit>();
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
    } else if (e.kind === 'obj_owner' && p.num === null) {
      for (const o of [e.to, e.from]) {
        const c = containerOf(o);
        if (!c || containers.has(c.key) || containers.size >= limit || !c.key.toLowerCase().includes(p.text)) continue;
        const moved = o === e.to ? `obj ${e.obj} put in` : `obj ${e.obj} taken out`;
        containers.set(c.key, { group: c.what === 'kptr slot' ? 'slot' : 'root', text: `${c.what} ${c.key} · first change at ${formatDuration(e.t)}: ${moved}`, t: e.t, select: { kind: 'obj', id: e.obj } });
      }
    } else if (e.kind === 'op' && p.num === null && e.op.toLowerCase().startsWith(p.text)) {
      // the first calls of each matching op
      const n = seenOp.get(e.op) ?? 0;
      if (n >= 10) continue;
      seenOp.set(e.op, n + 1);
      ops.push({ group: 'op', text: `${eventText(e)} · CPU ${e.cpu} at ${formatDuration(e.t)}`, t: e.t, select: e.pid >= 0 ? { kind: 'task', pid: e.pid } : null });
    }
  }
  return [...out, ...containers.values(), ...ops].slice(0, limit);
}

function lineHits(want: { file: string; line: number }, events: SimEvent[], limit: number, cursor: number): SearchHit[] {
  const after: SearchHit[] = [];
  const before: SearchHit[] = [];
  for (const e of events) {
    const site = siteOf(e);
    if (!site?.file || site.line !== want.line || !sameFile(site.file, want.file)) continue;
    // bpf_obj_new's hand-over from 'freed' to the program is part of the allocation (as lineCounts counts it)
    if (e.kind === 'obj_owner' && e.from.kind === 'freed') continue;
    const list = e.t > cursor ? after : before;
    if (list.length >= limit) continue;
    const where = `${site.file.slice(site.file.lastIndexOf('/') + 1)}:${site.line}`;
    list.push({ group: 'line', text: `${where} · ${eventText(e)} · at ${formatDuration(e.t)}${list === before ? ' (before the cursor)' : ''}`, t: e.t, select: selectionOf(e), source: { file: site.file, line: site.line } });
  }
  return [...after, ...before].slice(0, limit);
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

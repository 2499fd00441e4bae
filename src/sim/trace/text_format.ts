// Plain-text views of a snapshot and of events, for `scxray replay`, in the
// same words as the UI (src/model/text.ts).

import type { SimEvent, SimSnapshot } from '../../model/events';
import { dsqName, eventCpu, eventText, ownerText } from '../../model/text';
import { formatTime } from './time_units';


export function formatSnapshot(s: SimSnapshot): string {
  const comm = new Map(s.tasks.map((t) => [t.pid, t.comm]));
  const who = (pid: number): string => (pid === 0 ? 'idle' : `${comm.get(pid) ?? '?'}:${pid}`);
  const lines = [`state at ${formatTime(s.t)}`, '', 'CPUs'];
  for (const c of s.cpus) lines.push(`  cpu ${c.cpu}: ${c.idle ? 'idle' : 'busy'}  running ${who(c.curr)}  local [${c.local.map(who).join(', ')}]`);
  lines.push('', 'DSQs');
  if (s.dsqs.length === 0) lines.push('  (none)');
  for (const d of s.dsqs) lines.push(`  ${dsqName(d.id)} (${d.id}, ${d.ordering}): [${d.tasks.map((t) => who(t.pid) + (t.vtime !== undefined ? `@${t.vtime}` : '')).join(', ')}]`);
  lines.push('', 'Tasks');
  lines.push('  pid      comm             state      cpu  runs   runtime(ns)   wait(ns)  vtime  dsq');
  for (const t of s.tasks) {
    lines.push(`  ${String(t.pid).padEnd(8)} ${t.comm.padEnd(16)} ${t.state.padEnd(10)} ${String(t.cpu).padStart(3)}  ${String(t.runs).padStart(4)} ${String(t.runtimeNs).padStart(13)} ${String(t.waitNs).padStart(10)}  ${t.vtime}  ${t.dsq ?? ''}`);
  }
  const live = s.heap.filter((h) => h.owner.kind !== 'freed');
  lines.push('', `Heap objects: ${live.length} live, ${s.heap.length - live.length} freed`);
  for (const h of live) lines.push(`  obj ${h.id} ${h.type} (${h.size} B): ${ownerText(h.owner)}`);
  if (s.roots.length > 0) lines.push('', 'Roots');
  for (const r of s.roots) lines.push(`  ${r.key} (${r.kind}): [${r.nodes.join(', ')}]`);
  if (s.slots.length > 0) lines.push('', 'Stashed kptr slots');
  for (const sl of s.slots) lines.push(`  ${sl.key}: ${sl.obj === null ? 'empty' : `obj ${sl.obj}`}`);
  if (s.exited) lines.push('', `Exited: ${s.exited.kind} ${s.exited.reason} — ${s.exited.message}`);
  return lines.join('\n') + '\n';
}

export function formatEvent(e: SimEvent): string {
  const cpu = eventCpu(e);
  return `${formatTime(e.t)} ${cpu !== undefined ? `cpu${cpu} ` : ''}${e.kind} ${eventText(e)}`;
}

// Plain-text views of a snapshot and of events, for `scxray replay`.

import type { OwnerRef, SimEvent, SimSnapshot } from '../../model/events';
import { formatTime } from './time-units';

function owner(o: OwnerRef): string {
  switch (o.kind) {
    case 'program':
      return `program ${o.program}${o.cpu >= 0 ? ` on cpu ${o.cpu}` : ''}`;
    case 'rb_root':
    case 'list_head':
      return `${o.kind} ${o.root}`;
    case 'kptr':
      return `kptr ${o.slot}`;
    case 'refcount':
      return `shared (refcount ${o.count})`;
    case 'freed':
      return 'freed';
  }
}

export function formatSnapshot(s: SimSnapshot): string {
  const comm = new Map(s.tasks.map((t) => [t.pid, t.comm]));
  const who = (pid: number): string => (pid === 0 ? 'idle' : `${comm.get(pid) ?? '?'}:${pid}`);
  const lines = [`state at ${formatTime(s.t)}`, '', 'CPUs'];
  for (const c of s.cpus) lines.push(`  cpu ${c.cpu}: ${c.idle ? 'idle' : 'busy'}  running ${who(c.curr)}  local [${c.local.map(who).join(', ')}]`);
  lines.push('', 'DSQs');
  if (s.dsqs.length === 0) lines.push('  (none)');
  for (const d of s.dsqs) lines.push(`  ${d.label} (${d.id}, ${d.ordering}): [${d.tasks.map((t) => who(t.pid) + (t.vtime !== undefined ? `@${t.vtime}` : '')).join(', ')}]`);
  lines.push('', 'Tasks');
  lines.push('  pid      comm             state      cpu  runs   runtime(ns)   wait(ns)  vtime  dsq');
  for (const t of s.tasks) {
    lines.push(`  ${String(t.pid).padEnd(8)} ${t.comm.padEnd(16)} ${t.state.padEnd(10)} ${String(t.cpu).padStart(3)}  ${String(t.runs).padStart(4)} ${String(t.runtimeNs).padStart(13)} ${String(t.waitNs).padStart(10)}  ${t.vtime}  ${t.dsq ?? ''}`);
  }
  const live = s.heap.filter((h) => h.owner.kind !== 'freed');
  lines.push('', `Heap objects: ${live.length} live, ${s.heap.length - live.length} freed`);
  for (const h of live) lines.push(`  obj ${h.id} ${h.type} (${h.size} B): ${owner(h.owner)}`);
  if (s.roots.length > 0) lines.push('', 'Roots');
  for (const r of s.roots) lines.push(`  ${r.key} (${r.kind}): [${r.nodes.join(', ')}]`);
  if (s.slots.length > 0) lines.push('', 'Stashed kptr slots');
  for (const sl of s.slots) lines.push(`  ${sl.key}: ${sl.obj === null ? 'empty' : `obj ${sl.obj}`}`);
  if (s.exited) lines.push('', `Exited: ${s.exited.kind} ${s.exited.reason} — ${s.exited.message}`);
  return lines.join('\n') + '\n';
}

export function formatEvent(e: SimEvent): string {
  const at = formatTime(e.t);
  switch (e.kind) {
    case 'task_new':
      return `${at} task_new pid ${e.pid} ${e.comm} weight ${e.weight}${e.cgroup ? ` cgroup ${e.cgroup}` : ''}`;
    case 'task_exit':
      return `${at} task_exit pid ${e.pid}`;
    case 'task_state':
      return `${at} cpu${e.cpu} task_state pid ${e.pid} -> ${e.state}`;
    case 'switch':
      return `${at} cpu${e.cpu} switch ${e.prevPid} -> ${e.nextPid}`;
    case 'op':
      return `${at} cpu${e.cpu} ${e.op}(${[e.pid >= 0 ? `pid ${e.pid}` : null, ...e.args].filter((x) => x !== null).join(', ')})${e.ret !== undefined ? ` = ${e.ret}` : ''} [${e.insns} insns]`;
    case 'dsq_create':
      return `${at} dsq_create ${e.name} (${e.dsq})${e.vtime ? ' vtime' : ''}`;
    case 'dsq_insert':
      return `${at} cpu${e.cpu} dsq_insert pid ${e.pid} -> ${e.dsq} slice ${e.slice}${e.vtime !== undefined ? ` vtime ${e.vtime}` : ''}${e.head ? ' head' : ''}`;
    case 'dsq_remove':
      return `${at} cpu${e.cpu} dsq_remove pid ${e.pid} <- ${e.dsq} (${e.reason})`;
    case 'kick':
      return `${at} cpu${e.cpu} kick cpu ${e.target}${e.flags.length ? ` ${e.flags.join('|')}` : ''}`;
    case 'idle':
      return `${at} cpu${e.cpu} ${e.idle ? 'idle' : 'busy'}`;
    case 'obj_new':
      return `${at} obj_new ${e.obj} ${e.type} (${e.size} B) in ${e.site.program}`;
    case 'obj_owner':
      return `${at} obj_owner ${e.obj}: ${owner(e.from)} -> ${owner(e.to)}`;
    case 'obj_free':
      return `${at} obj_free ${e.obj}`;
    case 'ringbuf':
      return `${at} ringbuf ${e.map} ${e.bytes.length} B`;
    case 'printk':
      return `${at} cpu${e.cpu} printk ${e.program}: ${e.text}`;
    case 'diagnostic':
      return `${at} diagnostic ${e.diag.kind}: ${e.diag.message}`;
    case 'exit':
      return `${at} exit ${e.exit.kind} ${e.exit.reason}: ${e.exit.message}`;
  }
}

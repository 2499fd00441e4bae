// One line of text per simulator event for the events table.
import type { SimEvent } from '../../model/events';
import { dsqName, ownerText } from './format';

/** The CPU an event happened on, when it has one. */
export function eventCpu(e: SimEvent): number | undefined {
  return 'cpu' in e && typeof e.cpu === 'number' ? e.cpu : undefined;
}

export function eventText(e: SimEvent): string {
  switch (e.kind) {
    case 'task_new':
      return `pid ${e.pid} ${e.comm} weight ${e.weight}${e.cgroup ? ` cgroup ${e.cgroup}` : ''}`;
    case 'task_exit':
      return `pid ${e.pid}`;
    case 'task_state':
      return `pid ${e.pid} → ${e.state}`;
    case 'switch':
      return `${e.prevPid} → ${e.nextPid}`;
    case 'op':
      return `${e.op}(${[e.pid >= 0 ? `pid ${e.pid}` : '', ...e.args].filter(Boolean).join(', ')})${e.ret !== undefined ? ` = ${e.ret}` : ''} · ${e.insns} insns`;
    case 'dsq_create':
      return `${e.name} (${dsqName(e.dsq)})${e.vtime ? ' vtime' : ''}`;
    case 'dsq_insert':
      return `pid ${e.pid} → ${dsqName(e.dsq)}${e.head ? ' at head' : ''}${e.vtime !== undefined ? ` vtime ${e.vtime}` : ''} slice ${e.slice}`;
    case 'dsq_remove':
      return `pid ${e.pid} ← ${dsqName(e.dsq)} (${e.reason})`;
    case 'kick':
      return `CPU ${e.target}${e.flags.length ? ` ${e.flags.join('|')}` : ''}`;
    case 'idle':
      return e.idle ? 'idle' : 'busy';
    case 'obj_new':
      return `#${e.obj} ${e.type} (${e.size} B) in ${e.site.program}`;
    case 'obj_owner':
      return `#${e.obj} ${ownerText(e.from)} → ${ownerText(e.to)}`;
    case 'obj_free':
      return `#${e.obj}`;
    case 'ringbuf':
      return `${e.map}: ${e.bytes.length} bytes`;
    case 'printk':
      return `${e.program}: ${e.text}`;
    case 'diagnostic':
      return `${e.diag.kind}: ${e.diag.message}`;
    case 'exit':
      return `${e.exit.kind}: ${e.exit.reason} ${e.exit.message}`.trim();
  }
}

/** Event kinds in the order the filters offer them (one table: src/model/event_kinds.ts). */
export { KINDS_FOR_FILTERS as EVENT_KINDS } from '../../model/event_kinds';

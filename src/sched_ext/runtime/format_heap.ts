// A text view of the heap for the CLI (`scxray inspect`, run summaries):
// live objects grouped by owner, graph roots in order, kptr slots.

import type { HeapObjectSnapshot } from '../../model/events';
import { ownerText } from '../../model/text';
import type { BpfRuntime } from './runtime';


function describe(o: HeapObjectSnapshot): string {
  const fields = Object.entries(o.fields).map(([k, v]) => `${k}=${v}`).join(' ');
  const where = o.site.line !== undefined ? `${o.site.program}:${o.site.line}` : `${o.site.program} insn ${o.site.insn}`;
  const rc = o.refcount > 1 ? ` refcount=${o.refcount}` : '';
  return `obj ${o.id} ${o.type} (${o.size} B${rc})${fields ? ` {${fields}}` : ''} from ${where}`;
}

export function formatHeap(rt: BpfRuntime): string {
  const objs = rt.heapObjects();
  const lines: string[] = [`heap: ${objs.length} live object${objs.length === 1 ? '' : 's'}`];
  const byOwner = new Map<string, HeapObjectSnapshot[]>();
  for (const o of objs) {
    const k = ownerText(o.owner);
    const list = byOwner.get(k) ?? [];
    list.push(o);
    byOwner.set(k, list);
  }
  const order = new Map<number, number>();
  for (const r of rt.roots()) r.nodes.forEach((id, i) => order.set(id, i));
  for (const [owner, list] of [...byOwner].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${owner}: ${list.length}`);
    list.sort((a, b) => (order.get(a.id) ?? a.id) - (order.get(b.id) ?? b.id));
    for (const o of list) lines.push(`    ${describe(o)}`);
  }
  const slots = rt.slots().filter((s) => s.obj !== null);
  if (slots.length > 0) {
    lines.push(`kptr slots in use: ${slots.length}`);
    for (const s of slots) lines.push(`  ${s.key} -> obj ${s.obj}`);
  }
  const roots = rt.roots().filter((r) => r.nodes.length > 0);
  if (roots.length > 0) {
    lines.push(`graph roots: ${roots.length}`);
    for (const r of roots) lines.push(`  ${r.kind === 'rb_root' ? 'rbtree' : 'list'} ${r.key}: [${r.nodes.map((n) => `obj ${n}`).join(', ')}]`);
  }
  return lines.join('\n');
}

// Queryable runtime state in the simulator's snapshot vocabulary: live heap
// objects with their owners, graph roots in order (with tree shape and
// colours), and every kptr slot.

import type { GraphRootSnapshot, HeapObjectSnapshot, KptrSlotSnapshot } from '../../model/events';
import type { Btf } from '../btf/btf';
import type { RuntimeCore } from './core';
import { HeapObject } from './heap';
import { fieldKey, type FieldHost } from './layout';
import type { BpfMap } from './maps/map';

export function heapSnapshot(core: RuntimeCore): HeapObjectSnapshot[] {
  return core.heap.live().map((o) => ({
    id: o.id,
    type: o.typeName,
    size: o.size,
    owner: o.owner(),
    refcount: o.holders.length,
    fields: o.kind === 'local' ? scalarFields(core.btf, o) : o.typeName === 'struct bpf_cpumask' ? { cpus: cpuList(o) } : {},
    site: o.site,
  }));
}

/** An integer member's place in a local object: what scalarFields reads. */
interface ScalarMember {
  name: string;
  off: number;
  size: 1 | 2 | 4 | 8;
  signed: boolean;
}

/** Member layouts by BTF and type id: resolving members is most of a keyframe's cost when many objects are live. */
const scalarLayouts = new WeakMap<Btf, Map<number, ScalarMember[]>>();

function scalarLayout(btf: Btf, typeId: number): ScalarMember[] {
  let byType = scalarLayouts.get(btf);
  if (byType === undefined) scalarLayouts.set(btf, (byType = new Map()));
  let layout = byType.get(typeId);
  if (layout !== undefined) return layout;
  layout = [];
  for (const m of btf.members(typeId)) {
    if (m.bitfieldSize || m.name === '') continue;
    const t = btf.resolve(m.type);
    if (t.kind !== 'int' && t.kind !== 'enum' && t.kind !== 'enum64') continue;
    if (t.size !== 1 && t.size !== 2 && t.size !== 4 && t.size !== 8) continue;
    layout.push({ name: m.name, off: m.bitOffset / 8, size: t.size, signed: t.signed });
  }
  byType.set(typeId, layout);
  return layout;
}

/** Integer members of a local object by name, for the inspector. */
export function scalarFields(btf: Btf, o: HeapObject): Record<string, string> {
  const out: Record<string, string> = {};
  const v = o.region.view;
  for (const { name, off, size, signed } of scalarLayout(btf, o.typeId)) {
    let val: number;
    switch (size) {
      case 1: val = signed ? v.getInt8(off) : v.getUint8(off); break;
      case 2: val = signed ? v.getInt16(off, true) : v.getUint16(off, true); break;
      case 4: val = signed ? v.getInt32(off, true) : v.getUint32(off, true); break;
      case 8: out[name] = int64Text(v, off, signed); continue;
    }
    out[name] = String(val);
  }
  return out;
}

/**
 * A little-endian 64-bit integer in decimal, as String(bigint) writes it. A
 * value within ±2^53 goes through a number (a keyframe formats every u64
 * field of every live object: a bigint's toString cost ~45 ns, a number's ~10).
 */
export function int64Text(v: DataView, off: number, signed: boolean): string {
  const lo = v.getUint32(off, true);
  const hi = signed ? v.getInt32(off + 4, true) : v.getUint32(off + 4, true);
  if (hi < 0x20_0000 && hi >= -0x20_0000) return String(hi * 0x1_0000_0000 + lo);
  return String(signed ? v.getBigInt64(off, true) : v.getBigUint64(off, true));
}

/** A bpf_cpumask's CPUs as the kernel prints cpu lists: "0-3,6". */
export function cpuList(o: HeapObject): string {
  const cpus: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = o.region.view.getBigUint64(w * 8, true);
    for (let b = 0; b < 64; b++) if ((word >> BigInt(b)) & 1n) cpus.push(w * 64 + b);
  }
  const parts: string[] = [];
  for (let i = 0; i < cpus.length; ) {
    let j = i;
    while (j + 1 < cpus.length && cpus[j + 1] === cpus[j]! + 1) j++;
    parts.push(j === i ? `${cpus[i]}` : `${cpus[i]}-${cpus[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export function rootSnapshot(core: RuntimeCore): GraphRootSnapshot[] {
  const out: GraphRootSnapshot[] = [];
  for (const r of core.graphs.all()) {
    if (r.host.region.freed) continue;
    const s: GraphRootSnapshot = { key: r.key, kind: r.kind, nodes: [] };
    if (r.kind === 'rb_root') {
      const nodes = r.tree.inorder();
      s.nodes = nodes.map((n) => n.value.obj.id);
      s.parents = nodes.map((n) => n.parent?.value.obj.id ?? 0);
      s.red = nodes.map((n) => n.red);
    } else {
      s.nodes = r.list.map((n) => n.obj.id);
    }
    out.push(s);
  }
  return out;
}

export function slotSnapshot(core: RuntimeCore, maps: readonly BpfMap[]): KptrSlotSnapshot[] {
  const out: KptrSlotSnapshot[] = [];
  const visit = (host: FieldHost, owner: string) => {
    if (host.region.freed) return;
    for (const f of host.fields) {
      if (f.kind !== 'kptr') continue;
      const v = host.region.view.getBigUint64(f.offset, true);
      const region = v === 0n ? undefined : core.space.regionOfHi(Number(v >> 32n));
      const obj = region?.payload instanceof HeapObject ? region.payload.id : null;
      out.push({ key: fieldKey(host, f), map: owner, field: f.name, obj });
    }
  };
  for (const m of maps) {
    if (!m.valueFields.some((f) => f.kind === 'kptr')) continue;
    for (const cell of m.cells()) visit(cell, m.name);
  }
  for (const o of core.heap.live()) if (o.fields.some((f) => f.kind === 'kptr')) visit(o, o.label());
  return out;
}

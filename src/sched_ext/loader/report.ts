// The one summary of a loaded object, as plain data: what `scxray inspect`
// shows (--json, and as text laid out like bpftool's listings), and what the
// UI's object summary (src/main/session/object_summary.ts) and a trace's
// labels (src/sim/trace/labels.ts) are projected from.

import type { LoadedObject, MapSpec } from './object';
import { MapType } from './object';

export interface InspectReport {
  file: string;
  sha256: string;
  programs: { name: string; section: string; kind: string; runnable: boolean; refusal?: string; insns: number; linkedInsns: number; sourceFile?: string; poisoned: number }[];
  maps: { index: number; name: string; type: string; keySize: number; valueSize: number; key?: string; value?: string; maxEntries: number; flags: number; section: string; inner?: string; slots?: { slot: number; mapName: string }[] }[];
  structOps: { name: string; section: string; kernelType: string; opsName: string; ops: string[]; programs: Record<string, string>; scalars: Record<string, string> }[];
  globals: { name: string; section: string; offset: number; size: number; type: string; readonly: boolean; value?: string }[];
  kfuncs: { name: string; kernelName: string; weak: boolean; resolved: boolean; id?: number }[];
  coreRelos: { program: string; insn: number; kind: string; access: string; local: number; target?: number; poisoned: boolean; line?: number }[];
  warnings: string[];
}

const MAP_TYPE_NAMES = new Map<number, string>(Object.entries(MapType).map(([k, v]) => [v, k.toLowerCase()]));

/** A map type as bpftool names it ("hash", "array", "struct_ops"), or `type_N` for one we do not know. */
export function mapTypeName(type: number): string {
  return MAP_TYPE_NAMES.get(type) ?? `type_${type}`;
}

function mapRow(obj: LoadedObject, m: MapSpec): InspectReport['maps'][number] {
  const row: InspectReport['maps'][number] = { index: m.index, name: m.name, type: mapTypeName(m.type), keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries, flags: m.flags, section: m.section };
  if (m.keyTypeId) row.key = obj.btf.cName(m.keyTypeId);
  if (m.valueTypeId) row.value = obj.btf.cName(m.valueTypeId);
  if (m.inner) row.inner = `${mapTypeName(m.inner.type)} key ${m.inner.keySize} value ${m.inner.valueSize} max_entries ${m.inner.maxEntries}`;
  if (m.initialSlots?.length) row.slots = m.initialSlots;
  return row;
}

/** A global's initial value: decimal for 1/2/4/8-byte scalars, hex bytes (the first 64) otherwise. */
export function globalInitialText(obj: LoadedObject, g: LoadedObject['globals'][number]): string | undefined {
  const bytes = obj.maps[g.mapIndex]?.initialValue;
  if (!bytes || g.offset + g.size > bytes.length) return undefined;
  if ([1, 2, 4, 8].includes(g.size)) {
    let x = 0n;
    for (let i = g.size - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[g.offset + i]!);
    return x.toString();
  }
  const shown = bytes.subarray(g.offset, g.offset + Math.min(g.size, 64));
  const hex = Array.from(shown, (b) => b.toString(16).padStart(2, '0')).join('');
  return g.size > 64 ? `${hex}…` : hex;
}

export function buildReport(obj: LoadedObject): InspectReport {
  return {
    file: obj.file,
    sha256: obj.sha256,
    programs: obj.programs.map((p) => ({
      name: p.name,
      section: p.section,
      kind: p.kind,
      runnable: p.runnable,
      ...(p.refusal ? { refusal: p.refusal } : {}),
      insns: p.insnCount,
      linkedInsns: p.image.insns.length / 8,
      ...(p.sourceFile ? { sourceFile: p.sourceFile } : {}),
      poisoned: p.image.poisoned.size,
    })),
    maps: obj.maps.map((m) => mapRow(obj, m)),
    structOps: obj.structOps.map((s) => ({
      name: s.name,
      section: s.section,
      kernelType: s.kernelType,
      opsName: s.opsName,
      ops: Object.keys(s.ops),
      programs: s.ops,
      scalars: Object.fromEntries(Object.entries(s.scalars).map(([k, v]) => [k, v.toString()])),
    })),
    globals: obj.globals.map((g) => {
      const value = globalInitialText(obj, g);
      return { name: g.name, section: g.section, offset: g.offset, size: g.size, type: g.typeName, readonly: g.readonly, ...(value !== undefined ? { value } : {}) };
    }),
    kfuncs: obj.kfuncs.map((k) => ({ name: k.name, kernelName: k.kernelName, weak: k.weak, resolved: k.resolved, ...(k.kfuncId !== undefined ? { id: k.kfuncId } : {}) })),
    coreRelos: obj.coreRelos.map((r) => ({ program: r.program, insn: r.insn, kind: r.kind, access: r.access, local: r.localValue, ...(r.targetValue !== undefined ? { target: r.targetValue } : {}), poisoned: r.poisoned, ...(r.line !== undefined ? { line: r.line } : {}) })),
    warnings: obj.warnings,
  };
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => '  ' + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '));
}

export function formatReport(r: InspectReport): string {
  const out: string[] = [`${r.file}  sha256 ${r.sha256.slice(0, 16)}…`, '', `programs (${r.programs.length}):`];
  out.push(...table(r.programs.map((p) => [p.name, p.section, p.runnable ? p.kind : `${p.kind} (not runnable)`, `${p.insns} insns`, `linked ${p.linkedInsns}`, `${p.poisoned ? `${p.poisoned} poisoned  ` : ''}${p.sourceFile ?? ''}`])));
  out.push('', `maps (${r.maps.length}):`);
  out.push(...table(r.maps.map((m) => [String(m.index), m.name, m.type, `key ${m.keySize}${m.key ? ` (${m.key})` : ''}`, `value ${m.valueSize}${m.value ? ` (${m.value})` : ''}`, `max_entries ${m.maxEntries}`, `flags 0x${m.flags.toString(16)}${m.inner ? `  inner: ${m.inner}` : ''}${m.slots ? `  slots: ${m.slots.map((s) => `[${s.slot}]=${s.mapName}`).join(' ')}` : ''}`])));
  for (const s of r.structOps) {
    out.push('', `struct_ops ${s.name} (${s.section} → struct ${s.kernelType}) name "${s.opsName}":`);
    out.push(...table(Object.entries(s.programs).map(([op, prog]) => [op, `→ ${prog}`])));
    out.push(...table(Object.entries(s.scalars).map(([k, v]) => [k, `= ${v}`])));
  }
  if (r.globals.length) {
    out.push('', `globals (${r.globals.length}):`);
    out.push(...table(r.globals.map((g) => [`${g.section}+${g.offset}`, g.type, g.name, `${g.size} bytes${g.readonly ? ', ro' : ''}`, g.value !== undefined ? `= ${g.value}` : ''])));
  }
  if (r.kfuncs.length) {
    out.push('', `kfuncs (${r.kfuncs.length}):`);
    out.push(...table(r.kfuncs.map((k) => [k.name, k.kernelName !== k.name ? `as ${k.kernelName}` : '', k.resolved ? `id ${k.id}` : 'unresolved', k.weak ? 'weak' : 'strong'])));
  }
  if (r.coreRelos.length) {
    out.push('', `CO-RE relocations (${r.coreRelos.length}):`);
    out.push(...table(r.coreRelos.map((c) => [`${c.program}+${c.insn}`, c.kind, c.access, c.poisoned ? `${c.local} → POISONED` : `${c.local} → ${c.target}`])));
  }
  if (r.warnings.length) out.push('', 'warnings:', ...r.warnings.map((w) => `  ${w}`));
  return out.join('\n') + '\n';
}

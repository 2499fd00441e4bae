// What the renderer's scheduler panel needs from a LoadedObject: plain data,
// no BTF or program images (those stay in the host).

import { MapType, type LoadedObject, type MapSpec } from '../../sched_ext/loader/object';
import type { ObjectSummary } from '../../protocol/contract';

const MAP_TYPE_NAMES = new Map<number, string>(Object.entries(MapType).map(([k, v]) => [v, k]));

export function mapTypeName(type: number): string {
  return MAP_TYPE_NAMES.get(type) ?? String(type);
}

/** A global's initial value: decimal for 1/2/4/8-byte scalars, hex bytes otherwise. */
export function initialValue(map: MapSpec | undefined, offset: number, size: number): string | undefined {
  const bytes = map?.initialValue;
  if (!bytes || offset + size > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
  switch (size) {
    case 1:
      return String(view.getUint8(0));
    case 2:
      return String(view.getUint16(0, true));
    case 4:
      return String(view.getUint32(0, true));
    case 8:
      return view.getBigUint64(0, true).toString();
    default: {
      const shown = bytes.subarray(offset, offset + Math.min(size, 64));
      const hex = Array.from(shown, (b) => b.toString(16).padStart(2, '0')).join('');
      return size > 64 ? `${hex}…` : hex;
    }
  }
}

export function summarizeObject(obj: LoadedObject): ObjectSummary {
  return {
    file: obj.file,
    sha256: obj.sha256,
    programs: obj.programs.map((p) => ({
      name: p.name,
      section: p.section,
      kind: p.kind,
      runnable: p.runnable,
      insnCount: p.insnCount,
      ...(p.refusal !== undefined ? { refusal: p.refusal } : {}),
      ...(p.sourceFile !== undefined ? { sourceFile: p.sourceFile } : {}),
    })),
    maps: obj.maps.map((m) => ({
      name: m.name,
      type: mapTypeName(m.type),
      origin: m.origin,
      section: m.section,
      keySize: m.keySize,
      valueSize: m.valueSize,
      maxEntries: m.maxEntries,
    })),
    structOps: obj.structOps.map((s) => ({
      name: s.name,
      opsName: s.opsName,
      kernelType: s.kernelType,
      section: s.section,
      ops: Object.entries(s.ops).map(([op, program]) => ({ op, program })),
      scalars: Object.fromEntries(Object.entries(s.scalars).map(([k, v]) => [k, v.toString()])),
    })),
    globals: obj.globals.map((g) => {
      const initial = initialValue(obj.maps[g.mapIndex], g.offset, g.size);
      return {
        name: g.name,
        section: g.section,
        typeName: g.typeName,
        size: g.size,
        readonly: g.readonly,
        ...(initial !== undefined ? { initial } : {}),
      };
    }),
    kfuncs: obj.kfuncs.map((k) => ({ name: k.name, kernelName: k.kernelName, weak: k.weak, resolved: k.resolved })),
    warnings: [...obj.warnings],
  };
}

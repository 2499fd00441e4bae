// What the renderer's scheduler panel needs from a LoadedObject: the loader's
// one object summary (buildReport) projected onto the contract's shape, plain
// data without BTF or program images (those stay in the host).

import type { LoadedObject } from '../../sched_ext/loader/object';
import { buildReport } from '../../sched_ext/loader/report';
import { settableLeaves } from '../../sched_ext/loader/global_set';
import type { ObjectSummary } from '../../protocol/contract';

export function summarizeObject(obj: LoadedObject): ObjectSummary {
  const r = buildReport(obj);
  return {
    file: r.file,
    sha256: r.sha256,
    programs: r.programs.map((p) => ({
      name: p.name,
      section: p.section,
      kind: p.kind,
      runnable: p.runnable,
      insnCount: p.insns,
      ...(p.refusal !== undefined ? { refusal: p.refusal } : {}),
      ...(p.sourceFile !== undefined ? { sourceFile: p.sourceFile } : {}),
    })),
    maps: r.maps.map((m) => ({
      name: m.name,
      type: m.type,
      origin: obj.maps[m.index]!.origin,
      section: m.section,
      keySize: m.keySize,
      valueSize: m.valueSize,
      maxEntries: m.maxEntries,
    })),
    structOps: r.structOps.map((s) => ({
      name: s.name,
      opsName: s.opsName,
      kernelType: s.kernelType,
      section: s.section,
      ops: Object.entries(s.programs).map(([op, program]) => ({ op, program })),
      scalars: s.scalars,
    })),
    globals: r.globals.map((g) => {
      const v = obj.globals.find((x) => x.name === g.name && x.section === g.section);
      // arrays and structs list their leaves, so the knob panel edits pair_cpu[0] or cfg.slice_ns
      const fields = v === undefined ? undefined : settableLeaves(obj.btf, v, obj.maps[v.mapIndex]?.initialValue);
      return {
        name: g.name,
        section: g.section,
        typeName: g.type,
        size: g.size,
        readonly: g.readonly,
        ...(g.value !== undefined ? { initial: g.value } : {}),
        ...(fields !== undefined ? { fields } : {}),
      };
    }),
    kfuncs: r.kfuncs.map((k) => ({ name: k.name, kernelName: k.kernelName, weak: k.weak, resolved: k.resolved })),
    warnings: [...r.warnings],
  };
}

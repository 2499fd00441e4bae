// The object summary a trace header carries so a trace can be labelled and
// its source shown without the .bpf.o: the loader's one summary (buildReport)
// projected onto the trace header's shape, plus each program's line table
// (columnar, with a file table).

import type { LoadedObject } from '../../sched_ext/loader/object';
import { buildReport } from '../../sched_ext/loader/report';
import type { TraceLabels } from './format';

export interface ProgramLines {
  insn: number[];
  /** Index into TraceObjectLabels.files. */
  file: number[];
  line: number[];
  text: string[];
}

export interface TraceObjectLabels {
  programs: { name: string; section: string; kind: string; sourceFile?: string; insnCount: number }[];
  maps: { name: string; origin: string; type: number; keySize: number; valueSize: number; maxEntries: number }[];
  structOps: { name: string; opsName: string; kernelType: string; ops: Record<string, string> }[];
  globals: { name: string; section: string; typeName: string; size: number }[];
  files: string[];
  lines: Record<string, ProgramLines>;
}

export function objectLabels(obj: LoadedObject): TraceObjectLabels & TraceLabels {
  const files: string[] = [];
  const fileIndex = new Map<string, number>();
  const lines: Record<string, ProgramLines> = {};
  for (const p of obj.programs) {
    const l: ProgramLines = { insn: [], file: [], line: [], text: [] };
    for (const li of p.image.lineInfo) {
      let f = fileIndex.get(li.file);
      if (f === undefined) {
        f = files.length;
        files.push(li.file);
        fileIndex.set(li.file, f);
      }
      l.insn.push(li.insn);
      l.file.push(f);
      l.line.push(li.line);
      l.text.push(li.text);
    }
    lines[p.name] = l;
  }
  const r = buildReport(obj);
  return {
    programs: r.programs.map((p) => ({ name: p.name, section: p.section, kind: p.kind, ...(p.sourceFile !== undefined ? { sourceFile: p.sourceFile } : {}), insnCount: p.insns })),
    // The map type stays numeric here: it is part of the trace format.
    maps: obj.maps.map((m) => ({ name: m.name, origin: m.origin, type: m.type, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries })),
    structOps: r.structOps.map((s) => ({ name: s.name, opsName: s.opsName, kernelType: s.kernelType, ops: { ...s.programs } })),
    globals: r.globals.map((g) => ({ name: g.name, section: g.section, typeName: g.type, size: g.size })),
    files,
    lines,
  };
}

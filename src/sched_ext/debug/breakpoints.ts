// Breakpoints: where (a program's entry, or a source line from BTF.ext
// line_info), an optional condition in the expression language, and hit
// counting (`ignore` skips the first N hits whose condition held). Line
// breakpoints resolve to the instructions where clang's line_info says the
// line starts, in every program image that carries a copy of that code.

import type { ProgramImage } from '../vm/abi';
import { parseExpr, type Expr } from './expr_parse';

export type BreakWhere = { kind: 'entry'; program: string; label: string } | { kind: 'line'; file: string; line: number };

export interface Breakpoint {
  id: number;
  where: BreakWhere;
  /** Condition text; the parsed form is kept in `expr`. */
  cond?: string;
  expr?: Expr;
  /** Hits (condition true) to let pass before stopping. */
  ignore: number;
  /** Hits so far (condition true). */
  hits: number;
  enabled: boolean;
}

export class BreakpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BreakpointError';
  }
}

/** Whether line_info's file (often an absolute path) is the file the user named (a path suffix or the basename). */
export function sameFile(lineInfoFile: string, asked: string): boolean {
  if (lineInfoFile === asked) return true;
  const a = asked.replace(/^\.\//, '');
  return lineInfoFile.endsWith('/' + a) || lineInfoFile.split('/').pop() === a.split('/').pop();
}

/** Instruction indexes of `image` where `file:line` starts (line_info entries of that line). */
export function lineStarts(image: ProgramImage, file: string, line: number): number[] {
  return image.lineInfo.filter((l) => l.line === line && sameFile(l.file, file)).map((l) => l.insn);
}

/** Parse "FILE:LINE". */
export function parseLineSpec(spec: string): { file: string; line: number } | undefined {
  const m = /^(.+):(\d+)$/.exec(spec);
  return m ? { file: m[1]!, line: Number(m[2]) } : undefined;
}

export class Breakpoints {
  readonly list: Breakpoint[] = [];
  private nextId = 1;
  /** program name -> insn -> breakpoints there (rebuilt when the list changes). */
  private index = new Map<string, Map<number, Breakpoint[]>>();

  constructor(private readonly images: readonly ProgramImage[]) {}

  /** A breakpoint at `FILE:LINE`; refuses a line with no code, naming the nearest lines that have some. */
  addLine(file: string, line: number, cond?: string, ignore = 0): Breakpoint {
    const hits = this.images.some((im) => lineStarts(im, file, line).length > 0);
    if (!hits) {
      const lines = new Set<number>();
      let known = false;
      for (const im of this.images) for (const l of im.lineInfo) if (sameFile(l.file, file)) { known = true; lines.add(l.line); }
      if (!known) {
        const files = [...new Set(this.images.flatMap((im) => im.lineInfo.map((l) => l.file.split('/').pop()!)))];
        throw new BreakpointError(`no code from ${file} in this object (source files: ${files.join(', ') || 'none: the object has no line_info, build it with -g'})`);
      }
      const sorted = [...lines].sort((a, b) => Math.abs(a - line) - Math.abs(b - line) || a - b).slice(0, 3).sort((a, b) => a - b);
      throw new BreakpointError(`no code at ${file}:${line}; nearest lines with code: ${sorted.join(', ')}`);
    }
    return this.add({ kind: 'line', file, line }, cond, ignore);
  }

  /** A breakpoint at a program's first instruction (`label` is what the user called it: an op name). */
  addEntry(program: string, label: string, cond?: string, ignore = 0): Breakpoint {
    if (!this.images.some((im) => im.name === program)) throw new BreakpointError(`no program ${program} in this object`);
    return this.add({ kind: 'entry', program, label }, cond, ignore);
  }

  private add(where: BreakWhere, cond: string | undefined, ignore: number): Breakpoint {
    const bp: Breakpoint = { id: this.nextId++, where, ignore, hits: 0, enabled: true };
    if (cond !== undefined && cond.trim() !== '') {
      bp.cond = cond;
      bp.expr = parseExpr(cond); // a syntax error surfaces now, not at the first hit
    }
    this.list.push(bp);
    this.reindex();
    return bp;
  }

  remove(id: number): boolean {
    const i = this.list.findIndex((b) => b.id === id);
    if (i < 0) return false;
    this.list.splice(i, 1);
    this.reindex();
    return true;
  }

  /** Breakpoints at `insn` of `program` (entry breakpoints sit at insn 0). */
  at(program: string, insn: number): Breakpoint[] | undefined {
    return this.index.get(program)?.get(insn);
  }

  /** Whether any breakpoint sits inside `program` (so its calls must be stepped). */
  inProgram(program: string): boolean {
    return this.index.has(program);
  }

  /** Whether every breakpoint of `program` sits at its entry (so after the entry check the call may run without stops). */
  onlyAtEntry(program: string): boolean {
    const m = this.index.get(program);
    return m === undefined || (m.size === 1 && m.has(0) && m.get(0)!.every((b) => b.where.kind === 'entry'));
  }

  private reindex(): void {
    this.index = new Map();
    const put = (prog: string, insn: number, bp: Breakpoint) => {
      let m = this.index.get(prog);
      if (!m) this.index.set(prog, (m = new Map()));
      const l = m.get(insn);
      if (l) l.push(bp);
      else m.set(insn, [bp]);
    };
    for (const bp of this.list) {
      if (!bp.enabled) continue;
      if (bp.where.kind === 'entry') put(bp.where.program, 0, bp);
      else for (const im of this.images) for (const insn of lineStarts(im, bp.where.file, bp.where.line)) put(im.name, insn, bp);
    }
  }
}

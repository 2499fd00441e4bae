// Runs the bpf_conformance vectors (format: /work/shared/conformance/README.md)
// through one engine: assemble `-- asm` (or take `-- raw`), put `-- mem` in a
// region that r1 points at with r2 = its length, and compare r0 with
// `-- result` or expect a failure for `-- error`.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineKind, NativeDef, NativeTable, ProgramImage } from '../vm/abi';
import { BpfFault } from '../vm/fault';
import { createVm } from '../vm/vm';
import { assemble } from './assembler';

export interface ConformanceVector {
  file: string;
  insns: Uint8Array;
  mem?: Uint8Array;
  result?: bigint;
  error?: string;
}

export interface ConformanceFailure {
  file: string;
  message: string;
}

export interface ConformanceReport {
  engine: EngineKind;
  passed: number;
  failed: number;
  failures: ConformanceFailure[];
}

/** Parse one .data file. */
export function parseVector(file: string, text: string): ConformanceVector {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const head = /^--\s*(.+?)\s*$/.exec(line);
    if (head) {
      current = [];
      sections.set(head[1]!, current);
      continue;
    }
    if (current !== undefined && !line.startsWith('#')) current.push(line);
  }
  const raw = sections.get('raw');
  let insns: Uint8Array;
  if (raw !== undefined) {
    const words = raw.map((l) => l.trim()).filter((l) => l !== '');
    insns = new Uint8Array(words.length * 8);
    const view = new DataView(insns.buffer);
    words.forEach((w, i) => view.setBigUint64(i * 8, BigInt(w), true));
  } else {
    insns = assemble((sections.get('asm') ?? []).join('\n'));
  }
  const vector: ConformanceVector = { file, insns };
  const mem = sections.get('mem');
  if (mem !== undefined) {
    const bytes = mem.join(' ').trim().split(/\s+/).filter((b) => b !== '');
    vector.mem = Uint8Array.from(bytes.map((b) => parseInt(b, 16)));
  }
  const result = sections.get('result')?.join('').trim();
  if (result) vector.result = BigInt.asUintN(64, result.startsWith('-') ? -BigInt(result.slice(1)) : BigInt(result));
  const error = sections.get('error')?.join('\n').trim();
  if (error) vector.error = error;
  return vector;
}

/** The suite's helper 5: returns its first argument (README: call_unwind_fail, callx). */
const conformanceNatives: NativeTable = {
  helper(id: number): NativeDef | undefined {
    return id === 5 ? { name: 'conformance_helper_5', fn: (env) => env.arg(1) } : undefined;
  },
  kfunc: () => undefined,
};

/** Run one vector; returns undefined on pass or why it failed. */
export function runVector(v: ConformanceVector, engine: EngineKind): string | undefined {
  const image: ProgramImage = {
    name: v.file, section: 'conformance', insns: v.insns, lineInfo: [], funcInfo: [], poisoned: new Map(), sleepable: false,
  };
  let r0: bigint;
  try {
    const vm = createVm({ engine, natives: conformanceNatives });
    const prog = vm.load(image);
    const args: bigint[] = [0n, 0n];
    if (v.mem !== undefined) {
      const region = vm.space.alloc('scratch', 'conformance input', v.mem.length);
      region.bytes.set(v.mem);
      args[0] = vm.space.pointer(region, 0);
      args[1] = BigInt(v.mem.length);
    }
    r0 = vm.call(prog, args);
  } catch (e) {
    if (v.error !== undefined) return undefined;
    return e instanceof BpfFault ? `fault ${e.kind}: ${e.message}` : `error: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (v.error !== undefined) return `expected failure "${v.error}" but got r0 = 0x${r0.toString(16)}`;
  if (v.result === undefined) return 'vector has no -- result';
  return r0 === v.result ? undefined : `r0 = 0x${r0.toString(16)}, expected 0x${v.result.toString(16)}`;
}

export function runConformance(dir: string, engine: EngineKind): ConformanceReport {
  const report: ConformanceReport = { engine, passed: 0, failed: 0, failures: [] };
  const files = readdirSync(dir).filter((f) => f.endsWith('.data')).sort();
  for (const file of files) {
    let why: string | undefined;
    try {
      why = runVector(parseVector(file, readFileSync(join(dir, file), 'utf8')), engine);
    } catch (e) {
      why = `could not parse: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (why === undefined) report.passed++;
    else {
      report.failed++;
      report.failures.push({ file, message: why });
    }
  }
  return report;
}

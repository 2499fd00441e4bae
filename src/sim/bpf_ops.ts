// SchedOps over a loaded BPF object: each op runs the struct_ops program
// the object bound to that member, through the runtime's VM.

import type { BpfRuntime } from '../sched_ext/runtime/runtime';
import type { LoadedObject, StructOpsSpec } from '../sched_ext/loader/object';
import type { OpName, OpResult, SchedOps } from './core/sched_ops';

export class SimSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimSetupError';
  }
}

export class BpfSchedOps implements SchedOps {
  readonly name: string;
  readonly flags: bigint;
  readonly timeoutMs: number;
  readonly dispatchMaxBatch: number;
  readonly exitDumpLen: number;
  readonly spec: StructOpsSpec;
  private readonly programs: Partial<Record<OpName, string>>;
  /** Attached tp_btf programs by event (loader/attach.ts). */
  private readonly attached = new Map<string, string[]>();
  readonly tracing: boolean;

  constructor(private readonly object: LoadedObject, private readonly runtime: BpfRuntime) {
    const spec = object.structOps.find((s) => s.kernelType === 'sched_ext_ops');
    if (!spec) throw new SimSetupError(`${object.file} has no struct sched_ext_ops map in .struct_ops (is it a sched_ext scheduler?)`);
    this.spec = spec;
    this.name = spec.opsName || spec.name;
    const scalar = (n: string) => spec.scalars[n] ?? 0n;
    this.flags = scalar('flags');
    this.timeoutMs = Number(scalar('timeout_ms'));
    this.dispatchMaxBatch = Number(scalar('dispatch_max_batch'));
    this.exitDumpLen = Number(scalar('exit_dump_len'));
    this.programs = spec.ops as Partial<Record<OpName, string>>;
    for (const p of object.programs) {
      if (p.attachTo === undefined || !p.runnable) continue;
      const list = this.attached.get(p.attachTo) ?? [];
      list.push(p.name);
      this.attached.set(p.attachTo, list);
    }
    this.tracing = this.attached.size > 0;
  }

  has(op: OpName): boolean {
    return this.programs[op] !== undefined;
  }

  programOf(op: OpName): string | undefined {
    return this.programs[op];
  }

  sourceLine(program: string, insn: number): { file: string; line: number } | undefined {
    const info = this.object.programs.find((x) => x.name === program);
    const li = info?.image.lineInfo;
    if (!li || li.length === 0) return undefined;
    let lo = 0;
    let hi = li.length - 1;
    if (li[0]!.insn > insn) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (li[mid]!.insn <= insn) lo = mid;
      else hi = mid - 1;
    }
    return { file: li[lo]!.file, line: li[lo]!.line };
  }

  call(op: OpName, args: readonly bigint[]): OpResult {
    return this.runtime.callProgram(this.programs[op]!, args);
  }

  tracepointPrograms(event: string): readonly string[] {
    return this.attached.get(event) ?? [];
  }

  callProgram(name: string, args: readonly bigint[]): OpResult {
    return this.runtime.callProgram(name, args);
  }
}

// A fault stops the running program the way the kernel's error exit would
// stop a scheduler. It carries where it happened so every front end can say
// "program, instruction, source line" without a stack trace.

export type FaultKind =
  | 'null'
  | 'bad_pointer'
  | 'out_of_bounds'
  | 'freed'
  | 'readonly'
  | 'misaligned'
  | 'budget' // instruction budget per call exhausted
  | 'call_depth'
  | 'bad_insn'
  | 'bad_call' // unknown helper/kfunc id, poisoned call, call through a non-function
  | 'poisoned' // a CO-RE relocation or weak kfunc that failed to resolve was executed
  | 'native'; // a helper or kfunc refused its arguments (scx_bpf_error, invalid DSQ id, ...)

export interface FaultSite {
  program?: string;
  /** Instruction index (in 8-byte slots) within the program image. */
  insn?: number;
  /** Source location from BTF.ext line_info, when the object has it. */
  file?: string;
  line?: number;
  column?: number;
  sourceText?: string;
  address?: bigint;
  region?: string;
}

export class BpfFault extends Error {
  readonly kind: FaultKind;
  readonly detail: string;
  site: FaultSite;

  constructor(kind: FaultKind, detail: string, site: FaultSite = {}) {
    super(detail);
    this.name = 'BpfFault';
    this.kind = kind;
    this.detail = detail;
    this.site = { ...site };
    this.message = this.describe();
  }

  /** Fill in program/instruction/line where the engine catches the fault. */
  locate(site: FaultSite): this {
    this.site = { ...site, ...stripUndefined(this.site) };
    this.message = this.describe();
    return this;
  }

  describe(): string {
    const s = this.site;
    const where: string[] = [];
    if (s.program !== undefined) where.push(s.program);
    if (s.insn !== undefined) where.push(`insn ${s.insn}`);
    if (s.file !== undefined && s.line !== undefined) where.push(`${s.file}:${s.line}`);
    const head = where.length > 0 ? `${where.join(', ')}: ` : '';
    const src = s.sourceText ? `\n    ${s.sourceText.trim()}` : '';
    return `${head}${this.detail}${src}`;
  }
}

function stripUndefined(site: FaultSite): FaultSite {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(site)) if (v !== undefined) out[k] = v;
  return out as FaultSite;
}

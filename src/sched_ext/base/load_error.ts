// Every way reading or loading a BPF object can fail, as one typed error.
// Callers (CLI, session, fuzzer) branch on `code`; people read `message`,
// which always says what went wrong, where (file, section, offset, symbol,
// instruction, member) and, when there is one, what to do about it.

export type LoadErrorCode =
  | 'elf_truncated' // a header, table or section runs past the end of the file
  | 'elf_bad_header' // not an ELF64 little-endian relocatable object
  | 'elf_wrong_machine' // e_machine is not EM_BPF (247)
  | 'elf_bad_section' // section table inconsistent (bad link, bad string offset...)
  | 'elf_bad_symbol'
  | 'reloc_bad' // relocation of an unknown type or at a bad offset
  | 'reloc_missing_symbol' // relocation names a symbol index that does not exist
  | 'btf_bad' // malformed .BTF (header, kind, vlen, size)
  | 'btf_string' // a name offset outside the string section
  | 'btf_type_ref' // a type id outside the type table
  | 'btf_loop' // a cycle in type references
  | 'btf_ext_bad' // malformed .BTF.ext or a record pointing past its section
  | 'legacy_maps' // the pre-BTF "maps" section
  | 'map_bad' // a BTF-defined map that libbpf would refuse
  | 'global_bad'
  | 'program_bad' // bad call target, subprogram missing, bad ld_imm64
  | 'extern_bad' // an extern libbpf cannot place
  | 'kfunc_missing' // a strong kfunc the kernel does not have
  | 'unlinked' // calls a global function defined in another object (not linked with its BPF library)
  | 'kfunc_proto' // a kfunc whose prototype does not match the kernel's
  | 'kconfig_missing'
  | 'core_bad' // a malformed CO-RE record (bad access string, bad type)
  | 'struct_ops_bad' // struct_ops validation like the kernel's map update
  | 'poisoned_call' // a poisoned instruction (unresolved weak kfunc, failed CO-RE) the verifier cannot prove dead
  | 'kernel_btf'; // the kernel BTF itself is unusable

export interface LoadErrorWhere {
  file?: string;
  section?: string;
  /** Byte offset within the file or section the problem was found at. */
  offset?: number;
  symbol?: string;
  program?: string;
  insn?: number;
  line?: string;
  member?: string;
  typeId?: number;
}

export class LoadError extends Error {
  readonly code: LoadErrorCode;
  readonly where: LoadErrorWhere;
  readonly detail: string;

  constructor(code: LoadErrorCode, detail: string, where: LoadErrorWhere = {}) {
    super(detail);
    this.name = 'LoadError';
    this.code = code;
    this.detail = detail;
    this.where = { ...where };
    this.message = this.describe();
  }

  /** Add outer context (the file name, the section) where an inner reader threw. */
  within(where: LoadErrorWhere): this {
    for (const [k, v] of Object.entries(where)) {
      const key = k as keyof LoadErrorWhere;
      if (v !== undefined && this.where[key] === undefined) (this.where as Record<string, unknown>)[key] = v;
    }
    this.message = this.describe();
    return this;
  }

  describe(): string {
    const w = this.where;
    const parts: string[] = [];
    if (w.file !== undefined) parts.push(w.file);
    if (w.section !== undefined) parts.push(`section ${w.section}`);
    if (w.program !== undefined) parts.push(`program ${w.program}`);
    if (w.insn !== undefined) parts.push(`insn ${w.insn}`);
    if (w.line !== undefined) parts.push(w.line);
    if (w.symbol !== undefined) parts.push(`symbol ${w.symbol}`);
    if (w.member !== undefined) parts.push(`member ${w.member}`);
    if (w.typeId !== undefined) parts.push(`type [${w.typeId}]`);
    if (w.offset !== undefined) parts.push(`offset ${w.offset}`);
    return parts.length > 0 ? `${parts.join(', ')}: ${this.detail}` : this.detail;
  }
}

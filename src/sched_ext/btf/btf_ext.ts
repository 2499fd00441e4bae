// Decode .BTF.ext (Documentation/bpf/btf.rst §4.2): per program section, the
// func_info (which BTF FUNC starts at which instruction), line_info (file,
// line, column and the source text clang embeds) and CO-RE relocation
// records. Offsets in the object are bytes into the section; the loader turns
// them into instruction indices. Names live in the .BTF string table.

import { LoadError } from '../base/load_error';
import { StringTable } from './parse';
import type { Btf } from './btf';

export interface ExtFuncInfo {
  /** Byte offset in the program section. */
  insnOff: number;
  typeId: number;
}

export interface ExtLineInfo {
  insnOff: number;
  file: string;
  text: string;
  line: number;
  column: number;
}

export interface ExtCoreRelo {
  insnOff: number;
  /** Root type id in the object's BTF. */
  typeId: number;
  /** "0:1:2": array index into the root, then member/element indices. */
  access: string;
  /** enum bpf_core_relo_kind. */
  kind: number;
}

export interface BtfExt {
  funcInfo: Map<string, ExtFuncInfo[]>;
  lineInfo: Map<string, ExtLineInfo[]>;
  coreRelos: Map<string, ExtCoreRelo[]>;
}

const SECTION = '.BTF.ext';

export function parseBtfExt(bytes: Uint8Array, btf: Btf): BtfExt {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24) throw new LoadError('btf_ext_bad', `header needs 24 bytes, section has ${bytes.length}`, { section: SECTION, offset: 0 });
  if (dv.getUint16(0, true) !== 0xeb9f) throw new LoadError('btf_ext_bad', `bad magic 0x${dv.getUint16(0, true).toString(16)}`, { section: SECTION, offset: 0 });
  const hdrLen = dv.getUint32(4, true);
  if (hdrLen < 24 || hdrLen > bytes.length) throw new LoadError('btf_ext_bad', `header length ${hdrLen} is invalid`, { section: SECTION, offset: 4 });
  const strs = new StringTable(btf.strings, 'BTF.ext');
  const part = (offAt: number, name: string): { start: number; end: number } | undefined => {
    if (offAt + 8 > hdrLen) return undefined;
    const off = dv.getUint32(offAt, true);
    const len = dv.getUint32(offAt + 4, true);
    if (len === 0) return undefined;
    const start = hdrLen + off;
    if (start + len > bytes.length || start + len < start) {
      throw new LoadError('btf_ext_bad', `${name} [${off}, +${len}) points past the end of the section (${bytes.length - hdrLen} bytes after the header)`, { section: SECTION, offset: offAt });
    }
    return { start, end: start + len };
  };
  const ext: BtfExt = { funcInfo: new Map(), lineInfo: new Map(), coreRelos: new Map() };
  const fi = part(8, 'func_info');
  if (fi) readBlocks(dv, fi, 8, 'func_info', strs, ext.funcInfo, (o) => ({ insnOff: dv.getUint32(o, true), typeId: dv.getUint32(o + 4, true) }));
  const li = part(16, 'line_info');
  if (li) {
    readBlocks(dv, li, 16, 'line_info', strs, ext.lineInfo, (o) => {
      const lineCol = dv.getUint32(o + 12, true);
      return {
        insnOff: dv.getUint32(o, true),
        file: strs.get(dv.getUint32(o + 4, true), { offset: o }),
        text: strs.get(dv.getUint32(o + 8, true), { offset: o }),
        // BPF_LINE_INFO_LINE_NUM / _LINE_COL: line in the top 22 bits, column in the low 10
        line: lineCol >>> 10,
        column: lineCol & 0x3ff,
      };
    });
  }
  const cr = part(24, 'core_relo');
  if (cr) {
    readBlocks(dv, cr, 16, 'core_relo', strs, ext.coreRelos, (o) => ({
      insnOff: dv.getUint32(o, true),
      typeId: dv.getUint32(o + 4, true),
      access: strs.get(dv.getUint32(o + 8, true), { offset: o }),
      kind: dv.getUint32(o + 12, true),
    }));
  }
  return ext;
}

/** One info part: u32 record size, then blocks of {sec_name_off, num_info, records}. */
function readBlocks<T>(dv: DataView, range: { start: number; end: number }, minRec: number, what: string, strs: StringTable, out: Map<string, T[]>, read: (off: number) => T): void {
  if (range.end - range.start < 4) throw new LoadError('btf_ext_bad', `${what} is too short for its record size`, { section: SECTION, offset: range.start });
  const recSize = dv.getUint32(range.start, true);
  if (recSize < minRec || recSize % 4 !== 0 || recSize > 1024) {
    throw new LoadError('btf_ext_bad', `${what} record size ${recSize} is invalid (expected at least ${minRec})`, { section: SECTION, offset: range.start });
  }
  let p = range.start + 4;
  while (p < range.end) {
    if (p + 8 > range.end) throw new LoadError('btf_ext_bad', `${what} block header runs past the end of its part`, { section: SECTION, offset: p });
    const sec = strs.get(dv.getUint32(p, true), { offset: p });
    const n = dv.getUint32(p + 4, true);
    p += 8;
    if (n === 0 || p + n * recSize > range.end) {
      throw new LoadError('btf_ext_bad', `${what} for section ${sec} claims ${n} records, which run past the end of the part`, { section: SECTION, offset: p - 8 });
    }
    const list = out.get(sec) ?? [];
    for (let i = 0; i < n; i++, p += recSize) list.push(read(p));
    out.set(sec, list);
  }
}

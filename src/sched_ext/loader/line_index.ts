// Source lines by instruction, from .BTF.ext line_info: sorted once per
// section so each lookup (error messages, CO-RE results) is a binary search.

import type { BtfExt, ExtLineInfo } from '../btf/btf_ext';

export class LineIndex {
  private readonly bySection = new Map<string, ExtLineInfo[]>();

  constructor(ext: BtfExt | undefined) {
    for (const [sec, recs] of ext?.lineInfo ?? []) this.bySection.set(sec, [...recs].sort((a, b) => a.insnOff - b.insnOff));
  }

  /** The line_info record covering instruction `insnIdx` of `section` (the last one at or before it). */
  at(section: string, insnIdx: number): ExtLineInfo | undefined {
    const recs = this.bySection.get(section);
    if (recs === undefined) return undefined;
    const off = insnIdx * 8;
    let lo = 0;
    let hi = recs.length - 1;
    let best: ExtLineInfo | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (recs[mid]!.insnOff <= off) {
        best = recs[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }
}

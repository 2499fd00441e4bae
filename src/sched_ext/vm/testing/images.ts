// Test-only helpers: hand-assembled program images.

import { assemble } from '../../asm/assembler';
import type { LineInfo, ProgramImage } from '../abi';

export function image(insns: Uint8Array, name = 'test_prog', lineInfo: LineInfo[] = [], poisoned = new Map<number, string>()): ProgramImage {
  return { name, section: 'test', insns, lineInfo, funcInfo: [], poisoned, sleepable: false };
}

/** Assemble, then let the caller patch fields the conformance syntax cannot express (pseudo sources, may_goto). */
export function asmImage(source: string, patch?: (p: InsnPatcher) => void): ProgramImage {
  const insns = assemble(source);
  patch?.(new InsnPatcher(insns));
  return image(insns);
}

export class InsnPatcher {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  op(slot: number, op: number): this {
    this.bytes[slot * 8] = op;
    return this;
  }
  src(slot: number, src: number): this {
    this.bytes[slot * 8 + 1] = (this.bytes[slot * 8 + 1]! & 0x0f) | (src << 4);
    return this;
  }
  imm(slot: number, imm: number): this {
    this.view.setInt32(slot * 8 + 4, imm, true);
    return this;
  }
}

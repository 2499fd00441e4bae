// Basic blocks of a decoded program: where the JIT may be entered (jump and
// call targets, callback entries, return addresses) and how many
// instructions each block charges to the budget up front.

import type { DecodedProgram } from '../decode';
import { CLS, JMP, LDDW, PSEUDO, SRC_X } from '../opcodes';

export interface BlockMap {
  /** leader[i] = 1 when slot i starts a block. */
  readonly leader: Uint8Array;
  /** For a leader: the instructions in its block (lddw counts once, like uBPF). */
  readonly length: Int32Array;
  /** For any instruction: how many instructions of its block come after it. */
  readonly tail: Int32Array;
  /** For a leader: 1 when a jump inside its block goes back to the leader. */
  readonly selfLoop: Uint8Array;
}

/**
 * Compile cost of an instruction for chunking. TurboFan's compile time grows
 * faster than linearly with the number of checked memory accesses in one
 * function (measured: 25 stores ≈ 30 ms, 100 ≈ 300 ms, 200 ≈ 1–3 s), so
 * programs are compiled as several functions of bounded weight.
 */
export function insnWeight(op: number): number {
  const cls = op & 7;
  return cls === CLS.LDX || cls === CLS.ST || cls === CLS.STX ? 3 : 1;
}

/** Largest weight of one compiled function (and so of one block). */
export const CHUNK_WEIGHT = 160;

export function findBlocks(c: DecodedProgram, maxWeight = CHUNK_WEIGHT): BlockMap {
  const n = c.slots;
  const leader = new Uint8Array(n + 1);
  if (n > 0) leader[0] = 1;
  for (let i = 0; i < n; i++) {
    if (c.starts[i] === 0) continue;
    const op = c.op[i]!;
    const cls = op & 7;
    if (op === LDDW) {
      if (c.src[i] === PSEUDO.FUNC) leader[i + c.imm[i]! + 1] = 1;
      continue;
    }
    if (cls !== CLS.JMP && cls !== CLS.JMP32) continue;
    const code = op & 0xf0;
    if (code === JMP.CALL) {
      if ((op & SRC_X) === 0 && c.src[i] === 1) leader[i + c.imm[i]! + 1] = 1;
      // The return address is re-entered through the dispatch switch.
      leader[i + 1] = 1;
      continue;
    }
    if (code === JMP.EXIT) {
      leader[i + 1] = 1;
      continue;
    }
    const t = cls === CLS.JMP32 && code === JMP.JA ? i + c.imm[i]! + 1 : i + c.off[i]! + 1;
    leader[t] = 1;
    // After an unconditional jump a new block starts; after a conditional one
    // the block goes on (a taken branch refunds the instructions it skipped),
    // so a loop whose latch is `if (...) goto out; goto head;` stays one block.
    if (code === JMP.JA) leader[i + 1] = 1;
  }
  // Cap block weight so that every block fits in one compiled chunk.
  let weight = 0;
  for (let i = 0; i < n; i++) {
    if (c.starts[i] === 0) continue;
    if (leader[i] === 1) weight = 0;
    const w = insnWeight(c.op[i]!);
    if (weight + w > maxWeight && leader[i] === 0) {
      leader[i] = 1;
      weight = 0;
    }
    weight += w;
  }
  const length = new Int32Array(n);
  const tail = new Int32Array(n);
  const selfLoop = new Uint8Array(n);
  let start = 0;
  for (let i = 0; i <= n; i++) {
    if (i === n || (leader[i] === 1 && i > start)) {
      // Close block [start, i).
      let count = 0;
      for (let j = i - 1; j >= start; j--) {
        if (c.starts[j] === 0) continue;
        if (jumpTarget(c, j) === start) selfLoop[start] = 1;
        tail[j] = count;
        count++;
      }
      length[start] = count;
      start = i;
    }
  }
  return { leader: leader.subarray(0, n), length, tail, selfLoop };
}

/** The static target of a JA, conditional jump or may_goto at i, else -1. */
function jumpTarget(c: DecodedProgram, i: number): number {
  if (c.starts[i] === 0) return -1;
  const op = c.op[i]!;
  const cls = op & 7;
  if (cls !== CLS.JMP && cls !== CLS.JMP32) return -1;
  const code = op & 0xf0;
  if (code === JMP.CALL || code === JMP.EXIT) return -1;
  return cls === CLS.JMP32 && code === JMP.JA ? i + c.imm[i]! + 1 : i + c.off[i]! + 1;
}

// Compile a loaded program to JavaScript once, at load time: its blocks are
// grouped into chunks of bounded weight, each a function (see CHUNK_WEIGHT),
// and a small driver hands control from chunk to chunk.

import { interpret } from '../interp';
import type { CompiledProgram, ExecState, VmCore } from '../machine';
import { buildWithScope } from '../scope';
import { CHUNK_WEIGHT, findBlocks, insnWeight, type BlockMap } from './blocks';
import { jitChunkSource } from './codegen';

type ChunkFn = (st: ExecState) => number;
type Factory = (core: VmCore, prog: CompiledProgram, tail: Int32Array) => ChunkFn;

/** Slot ranges [from, to) of the chunks: whole blocks, each chunk at most maxWeight unless one instruction alone is heavier. */
export function chunkRanges(prog: CompiledProgram, blocks: BlockMap, maxWeight = CHUNK_WEIGHT): [number, number][] {
  const c = prog.code;
  const ranges: [number, number][] = [];
  let from = 0;
  let weight = 0;
  let blockStart = 0;
  let blockWeight = 0;
  const close = (at: number): void => {
    if (at > from) ranges.push([from, at]);
    from = at;
  };
  for (let i = 0; i <= c.slots; i++) {
    if (i === c.slots || (blocks.leader[i] === 1 && i > blockStart)) {
      if (weight + blockWeight > maxWeight && weight > 0) {
        close(blockStart);
        weight = 0;
      }
      weight += blockWeight;
      blockStart = i;
      blockWeight = 0;
    }
    if (i < c.slots && c.starts[i] === 1) blockWeight += insnWeight(c.op[i]!);
  }
  close(c.slots);
  return ranges;
}

export function compileJit(prog: CompiledProgram, core: VmCore, maxWeight = CHUNK_WEIGHT): void {
  const blocks = findBlocks(prog.code, maxWeight);
  const ranges = chunkRanges(prog, blocks, maxWeight);
  const n = prog.code.slots;
  const chunkOf = new Int32Array(n).fill(-1);
  const chunks: ChunkFn[] = [];
  const sources: string[] = [];
  ranges.forEach(([from, to], k) => {
    for (let i = from; i < to; i++) if (blocks.leader[i] === 1) chunkOf[i] = k;
    const source = jitChunkSource(prog, blocks, from, to);
    sources.push(source);
    chunks.push(buildWithScope<Factory>(source)(core, prog, blocks.tail));
  });
  // Control reaching a slot that starts no block (callx into the middle of
  // one) or the end of the program goes to the interpreter, which faults or
  // runs it exactly.
  prog.jit = (st: ExecState): void => {
    for (;;) {
      const pc = st.pc;
      const k = pc >= 0 && pc < n ? chunkOf[pc]! : -1;
      if (k < 0 || chunks[k]!(st) === 1) {
        interpret(core, prog, st, Infinity);
        return;
      }
      if (st.done) return;
    }
  };
  prog.jitSource = sources.join('\n// ---- next chunk ----\n');
}

/** Runner for VmCore: compiled code, falling back to the interpreter for programs without it. */
export function runJit(core: VmCore, prog: CompiledProgram, st: ExecState): void {
  if (prog.jit !== undefined) prog.jit(st);
  else interpret(core, prog, st, Infinity);
}

// Generates one JavaScript function per program: registers are local int32
// pairs (r3l, r3h), basic blocks are cases of a switch inside a loop (blocks
// fall through into the next case, jumps set pc and re-dispatch), and every
// block charges its instruction count to the budget on entry. When a block
// would cross the budget, or control reaches a slot that is not a block start,
// the function hands its state to the interpreter, which then faults on the
// exact instruction — so both engines report the same faults and counts.

import type { CompiledProgram } from '../machine';
import { CLS, JMP, LDDW, MAX_CALL_FRAMES, MAY_GOTO_LIMIT, MODE, SRC_X, STACK_FRAME_SIZE } from '../opcodes';
import { LO_BASE } from '../memory';
import { aluCode, atomicCode, cacheReset, cachedLoadCode, cachedStoreCode, condition, type Operand, type RegionCache } from '../semantics';
import type { BlockMap } from './blocks';

const FP_LO = LO_BASE + STACK_FRAME_SIZE;

const reg = (n: number): Operand => ({ l: `r${n}l`, h: `r${n}h` });
const REGS = Array.from({ length: 11 }, (_, i) => i);

/** The region cache of base register n (semantics.ts RegionCache). */
const cache = (n: number): RegionCache => ({ h: `c${n}h`, v: `c${n}v`, r: `c${n}r`, w: `c${n}w` });

/** Base registers of the plain loads and stores among the chunk's instructions: each gets a region cache. */
function cachedBases(p: CompiledProgram, from: number, to: number): number[] {
  const c = p.code;
  const used = new Set<number>();
  for (let i = from; i < to; i++) {
    if (c.starts[i] === 0) continue;
    const op = c.op[i]!;
    const cls = op & 7;
    if (cls === CLS.LDX) used.add(c.src[i]!);
    else if (cls === CLS.ST || (cls === CLS.STX && (op & 0xe0) !== MODE.ATOMIC)) used.add(c.dst[i]!);
  }
  return [...used].sort((a, b) => a - b);
}

const syncOut = REGS.map((i) => `lo[${i}] = r${i}l; hi[${i}] = r${i}h;`).join(' ');

/** bpf-to-bpf call; the may_goto allowance is only reset when the program has a may_goto to read it. */
function localCall(i: number, target: string, mayGoto: boolean): string {
  return `ip = ${i}; if (depth + 1 >= ${MAX_CALL_FRAMES}) throw core.callDepthFault();
  t = depth * 8; SV[t] = r6l; SV[t + 1] = r6h; SV[t + 2] = r7l; SV[t + 3] = r7h; SV[t + 4] = r8l; SV[t + 5] = r8h; SV[t + 6] = r9l; SV[t + 7] = r9h;
  SPC[depth] = ${i + 1}; depth++; r10l = ${FP_LO}; r10h = FRAMES[depth];${mayGoto ? ` MG[depth] = ${MAY_GOTO_LIMIT};` : ''}
  pc = ${target}; continue main;`;
}

function hasMayGoto(p: CompiledProgram): boolean {
  for (let i = 0; i < p.code.slots; i++) if (p.code.starts[i] === 1 && p.code.op[i] === (CLS.JMP | JMP.MAY_GOTO)) return true;
  return false;
}

/** A helper or kfunc call; it may free or replace regions, so the region caches start over after it. */
function nativeCall(i: number, src: string, id: string, bases: readonly number[]): string {
  const args = [1, 2, 3, 4, 5].map((k) => `v.lo[${k}] = r${k}l; v.hi[${k}] = r${k}h;`).join(' ');
  const reset = bases.map((n) => cacheReset(cache(n))).join(' ');
  return `ip = ${i}; v = ENVS[depth]; ${args} core.count = count;
  r0l = core.callNative(prog, depth, ${i}, ${src}, ${id}); r0h = OUT.hi; count = core.count;${reset === '' ? '' : ` ${reset}`}`;
}

/**
 * A taken jump: refund the instructions of this block it skips (the block
 * charged all of them on entry), then re-enter the block's own inner loop or
 * dispatch through the switch.
 */
function jumpTo(target: number, loopLeader: number, skipped: number): string {
  const refund = skipped > 0 ? `count -= ${skipped}; ` : '';
  return target === loopLeader ? `${refund}continue b${loopLeader};` : `${refund}pc = ${target}; continue main;`;
}

function insnCode(p: CompiledProgram, i: number, loopLeader: number, skipped: number, mayGoto: boolean, bases: readonly number[]): string {
  const c = p.code;
  const op = c.op[i]!, d = c.dst[i]!, s = c.src[i]!, off = c.off[i]!, imm = c.imm[i]!;
  const cls = op & 7;
  const D = reg(d);
  const I = String(i);
  const at = `ip = ${i}`;
  if (op === LDDW) return `${D.l} = ${p.kLo[i]}; ${D.h} = ${p.kHi[i]};`;
  if (cls === CLS.ALU || cls === CLS.ALU64) {
    const is64 = cls === CLS.ALU64;
    const x = (op & SRC_X) !== 0;
    const S = x ? reg(s) : { l: String(imm), h: is64 ? String(imm >> 31) : '0' };
    return aluCode(op & 0xf0, is64, off, imm, x, D, S);
  }
  if (cls === CLS.LDX) return cachedLoadCode(op, D, reg(s), String(off), at, cache(s));
  if (cls === CLS.ST) return cachedStoreCode(op, D, { l: String(imm), h: String(imm >> 31) }, String(off), at, cache(d));
  if (cls === CLS.STX) {
    if ((op & 0xe0) === MODE.ATOMIC) return atomicCode(op, imm, D, reg(s), reg(0), String(off), at);
    return cachedStoreCode(op, D, reg(s), String(off), at, cache(d));
  }
  // JMP / JMP32
  const code = op & 0xf0;
  const is32 = cls === CLS.JMP32;
  if (code === JMP.JA) return jumpTo(is32 ? i + imm + 1 : i + off + 1, loopLeader, skipped);
  if (code === JMP.CALL) {
    if ((op & SRC_X) !== 0) {
      return `ip = ${i}; w = core.callxTarget(prog, ${D.l}, ${D.h});
  if (w >= 0) { ${localCall(i, 'w', mayGoto)} }
  ${nativeCall(i, '0', D.l, bases)}`;
    }
    if (s === 1) return localCall(i, String(i + imm + 1), mayGoto);
    return nativeCall(i, String(s), String(imm), bases);
  }
  if (code === JMP.EXIT) {
    return `if (depth === base) { ${syncOut} st.done = true; st.pc = ${I}; st.depth = depth; core.count = count; return; }
  depth--; t = depth * 8; r6l = SV[t]; r6h = SV[t + 1]; r7l = SV[t + 2]; r7h = SV[t + 3]; r8l = SV[t + 4]; r8h = SV[t + 5]; r9l = SV[t + 6]; r9h = SV[t + 7];
  r10l = ${FP_LO}; r10h = FRAMES[depth]; pc = SPC[depth]; continue main;`;
  }
  if (code === JMP.MAY_GOTO) return `if (MG[depth] <= 0) { ${jumpTo(i + off + 1, loopLeader, skipped)} } MG[depth]--;`;
  const x = (op & SRC_X) !== 0;
  const S = x ? reg(s) : { l: String(imm), h: is32 ? '0' : String(imm >> 31) };
  return `if (${condition(code, is32, D, S)}) { ${jumpTo(i + off + 1, loopLeader, skipped)} }`;
}

/**
 * Source of one chunk: a factory (core, prog, TAIL) => (st) => bail, running
 * the blocks whose leaders lie in [from, to). A chunk returns when control
 * leaves it (bail 0: the driver dispatches st.pc to its chunk), when the
 * base frame exits (st.done), or when the interpreter must take over (bail 1:
 * the budget cannot cover the next block, or execution ran off the end).
 */
export function jitChunkSource(p: CompiledProgram, blocks: BlockMap, from: number, to: number): string {
  const c = p.code;
  const out: string[] = [];
  const mayGoto = hasMayGoto(p);
  const bases = cachedBases(p, from, to);
  let leader = -1;
  let loop = false;
  for (let i = from; i < to; i++) {
    if (c.starts[i] === 0) continue;
    if (blocks.leader[i] === 1) {
      if (loop) out.push('  break; }');
      leader = i;
      loop = blocks.selfLoop[i] === 1;
      const n = blocks.length[i]!;
      // A block that jumps back to its own start (a tight loop) gets an inner
      // loop, so each iteration skips the dispatch switch.
      out.push(`case ${i}: ${loop ? `b${i}: for (;;) { ` : ''}if (count > limit - ${n}) { pc = ${i}; bail = 1; break main; } count += ${n};`);
    }
    out.push(`  ${insnCode(p, i, loop ? leader : -1, blocks.tail[i]!, mayGoto, bases)}`);
  }
  if (loop) out.push('  break; }');
  const end = to >= c.slots ? `pc = ${c.slots}; bail = 1; break main;` : `pc = ${to}; break main;`;
  const loadRegs = REGS.map((i) => `let r${i}l = lo[${i}], r${i}h = hi[${i}];`).join(' ');
  const caches = bases.map((n) => { const C = cache(n); return `let ${C.h} = 0, ${C.v} = NOVIEW, ${C.r} = -1, ${C.w} = -1;`; }).join(' ');
  return `
return function factory(core, prog, TAIL) {
  const space = core.space, regions = core.regions;
  const SV = core.saved, SPC = core.savedPc, FRAMES = core.frameIds, MG = core.mayGoto, ENVS = core.envs;
  const NOVIEW = new DataView(new ArrayBuffer(0));
  return function run(st) {
    const lo = st.lo, hi = st.hi, base = st.baseDepth, limit = core.limit;
    ${loadRegs}
    let pc = st.pc, depth = st.depth, count = core.count, ip = pc, bail = 0;
    let t = 0, u = 0, o = 0, w = 0, x = 0, y = 0, g, v;
    ${caches}
    try {
      main: for (;;) {
        switch (pc) {
${out.join('\n')}
          ${end}
          default: break main;
        }
      }
    } catch (e) {
      // A fault inside a native keeps the count its callbacks reached.
      core.count = Math.max(core.count, count - TAIL[ip]); st.pc = ip; st.depth = depth;
      throw core.locate(e, prog, ip);
    }
    ${syncOut}
    st.pc = pc; st.depth = depth; core.count = count;
    return bail;
  };
};`;
}

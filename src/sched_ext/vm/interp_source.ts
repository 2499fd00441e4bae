// Builds the interpreter's dispatch loop from the shared instruction
// templates (semantics.ts): one `case` per valid opcode byte, operands read
// from the register arrays, immediates and offsets read per instruction.

import { ALU, ATOMIC, CLS, JMP, LDDW, MAX_CALL_FRAMES, MAY_GOTO_LIMIT, MODE, SIZE, SRC_X, STACK_FRAME_SIZE } from './opcodes';
import { LO_BASE } from './memory';
import { aluCode, atomicCode, condition, loadCode, storeCode, type Operand } from './semantics';

const D: Operand = { l: 'lo[d]', h: 'hi[d]' };
const SRC: Operand = { l: 'lo[s]', h: 'hi[s]' };
const IMM: Operand = { l: 'imm', h: '(imm >> 31)' };
const R0: Operand = { l: 'lo[0]', h: 'hi[0]' };
const NEXT = 'pc++; continue;';

function aluCase(op: number): string {
  const code = op & 0xf0, is64 = (op & 7) === CLS.ALU64, x = (op & SRC_X) !== 0;
  const S = x ? SRC : IMM;
  const body = (off: number, imm: number): string => aluCode(code, is64, off, imm, x, D, S);
  if (code === ALU.DIV || code === ALU.MOD) return `if (off === 1) { ${body(1, 0)} } else { ${body(0, 0)} } ${NEXT}`;
  if (code === ALU.MOV && x) {
    const cast = is64 ? `case 1: if (imm === 1) { ${aluCode(code, is64, 1, 1, x, D, S)} } else { ${aluCode(code, is64, 1, 1 << 16, x, D, S)} } break; ` : '';
    return `switch (off) { ${cast}case 8: ${body(8, 0)} break; case 16: ${body(16, 0)} break; case 32: ${body(32, 0)} break; default: ${body(0, 0)} } ${NEXT}`;
  }
  if (code === ALU.END) return `if (imm === 16) { ${body(0, 16)} } else if (imm === 32) { ${body(0, 32)} } else { ${body(0, 64)} } ${NEXT}`;
  return `${body(0, 0)} ${NEXT}`;
}

function jmpCase(op: number): string | undefined {
  const code = op & 0xf0, is32 = (op & 7) === CLS.JMP32, x = (op & SRC_X) !== 0;
  if (code === JMP.JA) return x ? undefined : is32 ? 'pc = pc + imm + 1; continue;' : 'pc = pc + off + 1; continue;';
  if (code === JMP.CALL || code === JMP.EXIT || code === JMP.MAY_GOTO || code === 0xf0) return undefined;
  const S = x ? SRC : IMM;
  return `if (${condition(code, is32, D, S)}) { pc = pc + off + 1; continue; } ${NEXT}`;
}

/** bpf-to-bpf call: save r6..r9 and the return slot, enter a new frame. */
const LOCAL_CALL = `
  if (depth + 1 >= ${MAX_CALL_FRAMES}) throw core.callDepthFault();
  t = depth * 8;
  SV[t] = lo[6]; SV[t + 1] = hi[6]; SV[t + 2] = lo[7]; SV[t + 3] = hi[7];
  SV[t + 4] = lo[8]; SV[t + 5] = hi[8]; SV[t + 6] = lo[9]; SV[t + 7] = hi[9];
  SPC[depth] = pc + 1;
  depth++;
  lo[10] = ${LO_BASE + STACK_FRAME_SIZE}; hi[10] = FRAMES[depth]; MG[depth] = ${MAY_GOTO_LIMIT};`;

/** Helper/kfunc call: r1..r5 go to this depth's NativeEnv, r0 comes back. */
const NATIVE_CALL = (id: string, src: string): string => `
  v = ENVS[depth];
  v.lo[1] = lo[1]; v.hi[1] = hi[1]; v.lo[2] = lo[2]; v.hi[2] = hi[2]; v.lo[3] = lo[3]; v.hi[3] = hi[3];
  v.lo[4] = lo[4]; v.hi[4] = hi[4]; v.lo[5] = lo[5]; v.hi[5] = hi[5];
  core.count = count;
  t = core.callNative(prog, depth, pc, ${src}, ${id});
  lo[0] = t; hi[0] = OUT.hi;
  count = core.count;
  pc++; continue;`;

const CASES_CONTROL = `
case ${LDDW}: lo[d] = KLO[pc]; hi[d] = KHI[pc]; pc += 2; continue;
case ${CLS.JMP | JMP.CALL}:
  if (s === 1) { ${LOCAL_CALL} pc = pc + imm + 1; continue; }
  ${NATIVE_CALL('imm', 's')}
case ${CLS.JMP | JMP.CALL | SRC_X}:
  w = core.callxTarget(prog, lo[d], hi[d]);
  if (w >= 0) { ${LOCAL_CALL} pc = w; continue; }
  ${NATIVE_CALL('lo[d]', '0')}
case ${CLS.JMP | JMP.EXIT}:
  if (depth === base) { st.done = true; break main; }
  depth--;
  t = depth * 8;
  lo[6] = SV[t]; hi[6] = SV[t + 1]; lo[7] = SV[t + 2]; hi[7] = SV[t + 3];
  lo[8] = SV[t + 4]; hi[8] = SV[t + 5]; lo[9] = SV[t + 6]; hi[9] = SV[t + 7];
  lo[10] = ${LO_BASE + STACK_FRAME_SIZE}; hi[10] = FRAMES[depth];
  pc = SPC[depth]; continue;
case ${CLS.JMP | JMP.MAY_GOTO}:
  if (MG[depth] <= 0) { pc = pc + off + 1; continue; }
  MG[depth]--; ${NEXT}
`;

function memCase(op: number): string | undefined {
  const cls = op & 7, mode = op & 0xe0;
  if (cls === CLS.LDX && (mode === MODE.MEM || (mode === MODE.MEMSX && (op & 0x18) !== SIZE.DW))) {
    return `${loadCode(op, D, SRC, 'off', 'pc')} ${NEXT}`;
  }
  if (cls === CLS.ST && mode === MODE.MEM) return `${storeCode(op, D, IMM, 'off', 'pc')} ${NEXT}`;
  if (cls === CLS.STX && mode === MODE.MEM) return `${storeCode(op, D, SRC, 'off', 'pc')} ${NEXT}`;
  if (cls === CLS.STX && mode === MODE.ATOMIC) {
    const wide = (op & 0x18) === SIZE.W || (op & 0x18) === SIZE.DW;
    const rmw = [ATOMIC.ADD, ATOMIC.OR, ATOMIC.AND, ATOMIC.XOR].flatMap((a) => [a, a | ATOMIC.FETCH]).concat([ATOMIC.XCHG, ATOMIC.CMPXCHG]);
    const ops: number[] = (wide ? rmw : []).concat([ATOMIC.LOAD_ACQ, ATOMIC.STORE_REL]);
    const cases = ops.map((imm) => `case ${imm}: ${atomicCode(op, imm, D, SRC, R0, 'off', 'pc')} break;`).join('\n');
    return `switch (imm) { ${cases} } ${NEXT}`;
  }
  return undefined;
}

export function interpreterSource(): string {
  const cases: string[] = [];
  for (let op = 0; op < 256; op++) {
    const cls = op & 7;
    let body: string | undefined;
    if (cls === CLS.ALU || cls === CLS.ALU64) {
      const code = op & 0xf0;
      const valid = code <= ALU.END && !(code === ALU.NEG && (op & SRC_X)) && !(code === ALU.END && cls === CLS.ALU64 && (op & SRC_X));
      body = valid ? aluCase(op) : undefined;
    } else if (cls === CLS.JMP || cls === CLS.JMP32) {
      body = jmpCase(op);
    } else {
      body = memCase(op);
    }
    if (body !== undefined) cases.push(`case ${op}: ${body}`);
  }
  return `
return function interpret(core, prog, st, maxSteps) {
  const c = prog.code, OP = c.op, DST = c.dst, SRCR = c.src, OFF = c.off, IMMS = c.imm, KLO = prog.kLo, KHI = prog.kHi;
  const lo = st.lo, hi = st.hi, base = st.baseDepth;
  const space = core.space, regions = core.regions, limit = core.limit;
  const SV = core.saved, SPC = core.savedPc, FRAMES = core.frameIds, MG = core.mayGoto, ENVS = core.envs;
  let count = core.count;
  const stop = Math.min(limit, count + maxSteps);
  let pc = st.pc, depth = st.depth;
  let t = 0, u = 0, o = 0, w = 0, x = 0, y = 0, g, v, d = 0, s = 0, off = 0, imm = 0;
  try {
    main: for (;;) {
      if (count >= stop) {
        if (count >= limit) throw core.budgetFault();
        break;
      }
      count++;
      d = DST[pc]; s = SRCR[pc]; off = OFF[pc]; imm = IMMS[pc];
      switch (OP[pc]) {
${cases.join('\n')}
${CASES_CONTROL}
      }
      throw core.badPc(prog, pc);
    }
  } catch (e) {
    core.count = Math.max(core.count, count); st.pc = pc; st.depth = depth;
    throw core.locate(e, prog, pc);
  }
  core.count = count; st.pc = pc; st.depth = depth;
};`;
}

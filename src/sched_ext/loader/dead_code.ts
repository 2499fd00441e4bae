// Which poisoned instructions of a linked program can run, as the kernel's
// verifier decides it at load: libbpf poisons calls to unresolved weak kfuncs
// and failed CO-RE relocations, and the verifier rejects the program if any
// poisoned instruction is reachable ("invalid kernel function call not
// eliminated in verifier pass", "invalid func unknown#195896080") while it
// removes the dead ones. Deadness comes from branches whose outcome is known
// after relocation: bpf_ksym_exists() of a missing kfunc is the constant 0,
// and values loaded from the frozen .rodata (`const volatile` knobs) are
// constants the verifier knows.
//
// This is a path-sensitive walk with constant registers, constant 8-byte
// stack spills, pointers into global data and bpf-to-bpf call frames. It
// proves less than the verifier (no ranges), so it may find a path the
// verifier would prune; to never refuse what the kernel accepts, it only
// reports a poisoned instruction reached on a path whose every branch
// decision was either known or genuinely open, and it gives up (reports
// nothing) when the walk grows past its budget.

import type { ProgramImage } from '../vm/abi';

/** The global-data maps a program may read constants from: frozen (read-only) values by map index. */
export interface FrozenData {
  readonly(mapIndex: number): Uint8Array | undefined;
}

type Value = { k: 'c'; v: bigint } | { k: 'map'; map: number; off: number } | { k: 'fp'; off: number };

interface Frame {
  ret: number;
  saved: (Value | undefined)[];
  stack: Map<number, Value>;
}

interface State {
  pc: number;
  regs: (Value | undefined)[];
  stack: Map<number, Value>;
  frames: Frame[];
}

export type Reachability =
  | { kind: 'reachable'; insn: number; reason: string }
  | { kind: 'dead' }
  | { kind: 'unknown'; why: string };

const MASK64 = (1n << 64n) - 1n;
const u64 = (v: bigint) => v & MASK64;
const s64 = (v: bigint) => BigInt.asIntN(64, v);
const u32 = (v: bigint) => v & 0xffffffffn;
const s32 = (v: bigint) => BigInt.asIntN(32, v);

const PSEUDO_MAP_VALUE = 2;
const PSEUDO_FUNC = 4;
const PSEUDO_CALL = 1;

/** The frozen global data of an object: .rodata* and .kconfig, whose values the verifier knows. */
export function frozenGlobals(maps: readonly { index: number; origin: string; section: string; initialValue?: Uint8Array }[]): FrozenData {
  const byIndex = new Map<number, Uint8Array>();
  for (const m of maps) {
    if (m.origin === 'global' && m.initialValue !== undefined && (m.section.startsWith('.rodata') || m.section === '.kconfig')) byIndex.set(m.index, m.initialValue);
  }
  return { readonly: (i) => byIndex.get(i) };
}

/** Steps one program may take before the walk gives up. */
const BUDGET = 400_000;

function stateKey(s: State): string {
  const regs = s.regs.map((r) => (r === undefined ? '_' : r.k === 'c' ? r.v.toString(36) : r.k === 'map' ? `m${r.map}.${r.off}` : `f${r.off}`)).join(',');
  const stack = [...s.stack].map(([o, r]) => `${o}=${r.k === 'c' ? r.v.toString(36) : r.k}`).join(',');
  return `${s.pc}|${s.frames.map((f) => f.ret).join('.')}|${regs}|${stack}`;
}

function clone(s: State, pc: number): State {
  return { pc, regs: s.regs.slice(), stack: new Map(s.stack), frames: s.frames };
}

function aluConst(op: number, wide: boolean, dst: bigint, src: bigint, off: number): bigint | undefined {
  const a = wide ? dst : u32(dst);
  const b = wide ? src : u32(src);
  const bits = wide ? 64n : 32n;
  const norm = (v: bigint) => (wide ? u64(v) : u32(v));
  const signed = (v: bigint) => (wide ? s64(v) : s32(v));
  switch (op) {
    case 0x00:
      return norm(a + b);
    case 0x10:
      return norm(a - b);
    case 0x20:
      return norm(a * b);
    case 0x30:
      if (b === 0n) return 0n;
      return off === 1 ? norm(signed(a) / signed(b)) : norm(a / b);
    case 0x40:
      return norm(a | b);
    case 0x50:
      return norm(a & b);
    case 0x60:
      return norm(a << (b & (bits - 1n)));
    case 0x70:
      return norm(a >> (b & (bits - 1n)));
    case 0x80:
      return norm(-a);
    case 0x90:
      if (b === 0n) return norm(a);
      return off === 1 ? norm(signed(a) % signed(b)) : norm(a % b);
    case 0xa0:
      return norm(a ^ b);
    case 0xb0:
      if (off === 8 || off === 16 || off === 32) return norm(BigInt.asIntN(off, src));
      return norm(b);
    case 0xc0:
      return norm(signed(a) >> (b & (bits - 1n)));
    default:
      return undefined;
  }
}

/** Outcome of a conditional jump on known operands, or undefined when unknown. */
function branch(op: number, wide: boolean, a: Value | undefined, b: Value | undefined): boolean | undefined {
  if (a === undefined || b === undefined) return undefined;
  // A pointer to global data or the stack is never NULL.
  if (a.k !== 'c' || b.k !== 'c') {
    const ptrVsZero = (a.k !== 'c' && b.k === 'c' && b.v === 0n) || (b.k !== 'c' && a.k === 'c' && a.v === 0n);
    if (!ptrVsZero) return undefined;
    if (op === 0x10) return false; // ==
    if (op === 0x50) return true; // !=
    return undefined;
  }
  const x = wide ? a.v : u32(a.v);
  const y = wide ? b.v : u32(b.v);
  const sx = wide ? s64(x) : s32(x);
  const sy = wide ? s64(y) : s32(y);
  switch (op) {
    case 0x10:
      return x === y;
    case 0x20:
      return x > y;
    case 0x30:
      return x >= y;
    case 0x40:
      return (x & y) !== 0n;
    case 0x50:
      return x !== y;
    case 0x60:
      return sx > sy;
    case 0x70:
      return sx >= sy;
    case 0xa0:
      return x < y;
    case 0xb0:
      return x <= y;
    case 0xc0:
      return sx < sy;
    case 0xd0:
      return sx <= sy;
    default:
      return undefined;
  }
}

function readConst(bytes: Uint8Array, off: number, size: number, signed: boolean): bigint | undefined {
  if (off < 0 || off + size > bytes.length) return undefined;
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[off + i]!);
  return signed ? u64(BigInt.asIntN(size * 8, v)) : v;
}

/** Whether any poisoned instruction of `image` is reachable from its entry. */
export function poisonReachability(image: ProgramImage, data: FrozenData): Reachability {
  if (image.poisoned.size === 0) return { kind: 'dead' };
  const insns = image.insns;
  const dv = new DataView(insns.buffer, insns.byteOffset, insns.byteLength);
  const n = insns.length / 8;
  const seen = new Set<string>();
  // r1 = ctx, r10 = frame pointer; everything else unknown.
  const work: State[] = [{ pc: 0, regs: [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, { k: 'fp', off: 0 }], stack: new Map(), frames: [] }];
  // Callback bodies (ld_imm64 src 4) are verified with unknown arguments.
  const callbacks = new Set<number>();
  let steps = 0;
  while (work.length > 0) {
    const s = work.pop()!;
    for (;;) {
      if (++steps > BUDGET) return { kind: 'unknown', why: `the walk passed ${BUDGET} steps` };
      const pc = s.pc;
      if (pc < 0 || pc >= n) break;
      const key = stateKey(s);
      if (seen.has(key)) break;
      seen.add(key);
      const poison = image.poisoned.get(pc);
      if (poison !== undefined) return { kind: 'reachable', insn: pc, reason: poison };
      const code = insns[pc * 8]!;
      const regsByte = insns[pc * 8 + 1]!;
      const dst = regsByte & 0xf;
      const src = regsByte >> 4;
      const off = dv.getInt16(pc * 8 + 2, true);
      const imm = dv.getInt32(pc * 8 + 4, true);
      const cls = code & 7;
      const r = s.regs;
      if (cls === 4 || cls === 7) {
        // ALU / ALU64
        const wide = cls === 7;
        const op = code & 0xf0;
        const useX = (code & 0x08) !== 0;
        if (op === 0xd0) {
          r[dst] = undefined; // byte swaps: not worth tracking
        } else if (wide && op === 0xb0 && useX && off === 0) {
          r[dst] = r[src];
        } else if (wide && (op === 0x00 || op === 0x10) && r[dst] !== undefined && r[dst]!.k !== 'c') {
          // pointer ± constant
          const k = useX ? r[src] : { k: 'c' as const, v: u64(BigInt(imm)) };
          const p = r[dst]!;
          if (k?.k === 'c') {
            const delta = Number(s64(k.v)) * (op === 0x10 ? -1 : 1);
            r[dst] = p.k === 'map' ? { k: 'map', map: p.map, off: p.off + delta } : p.k === 'fp' ? { k: 'fp', off: p.off + delta } : undefined;
          } else r[dst] = undefined;
        } else {
          const a = op === 0xb0 ? { k: 'c' as const, v: 0n } : r[dst];
          const b = useX ? r[src] : { k: 'c' as const, v: u64(BigInt(imm)) };
          const v = a?.k === 'c' && b?.k === 'c' ? aluConst(op, wide, a.v, b.v, off) : undefined;
          r[dst] = v === undefined ? undefined : { k: 'c', v };
        }
        s.pc = pc + 1;
        continue;
      }
      if (code === 0x18) {
        const hi = dv.getInt32(pc * 8 + 12, true);
        if (src === 0) r[dst] = { k: 'c', v: u64((BigInt(hi) << 32n) | BigInt(imm >>> 0)) };
        else if (src === PSEUDO_MAP_VALUE) r[dst] = { k: 'map', map: imm, off: hi };
        else {
          if (src === PSEUDO_FUNC) callbacks.add(pc + imm + 1);
          r[dst] = undefined;
        }
        s.pc = pc + 2;
        continue;
      }
      if (cls === 1) {
        // LDX MEM / MEMSX
        const size = [4, 2, 1, 8][(code >> 3) & 3]!;
        const signed = (code & 0xe0) === 0x80;
        const base = r[src];
        let v: Value | undefined;
        if (base?.k === 'map') {
          const bytes = data.readonly(base.map);
          const c = bytes !== undefined ? readConst(bytes, base.off + off, size, signed) : undefined;
          if (c !== undefined) v = { k: 'c', v: c };
        } else if (base?.k === 'fp' && size === 8) {
          v = s.stack.get(base.off + off);
        }
        r[dst] = v;
        s.pc = pc + 1;
        continue;
      }
      if (cls === 2 || cls === 3) {
        // ST / STX (and atomics): only 8-byte stack slots are tracked
        const base = r[dst];
        const size = [4, 2, 1, 8][(code >> 3) & 3]!;
        const atomic = (code & 0xe0) === 0xc0;
        if (base?.k === 'fp') {
          const at = base.off + off;
          for (const slot of [...s.stack.keys()]) if (slot < at + size && at < slot + 8) s.stack.delete(slot);
          if (!atomic && size === 8) {
            const v = cls === 2 ? ({ k: 'c', v: u64(BigInt(imm)) } as Value) : r[src];
            if (v !== undefined) s.stack.set(at, v);
          }
        }
        if (atomic) {
          if (imm & 1) r[src] = undefined; // fetch variants load the old value
          if (imm === 0xf1) r[0] = undefined; // cmpxchg
        }
        s.pc = pc + 1;
        continue;
      }
      // JMP / JMP32
      const op = code & 0xf0;
      if (op === 0x00) {
        s.pc = pc + 1 + (cls === 6 ? imm : off);
        continue;
      }
      if (op === 0x90) {
        // exit: return to the caller's frame, or end the path
        const f = s.frames.at(-1);
        if (f === undefined) break;
        const ret = r[0];
        s.regs = [ret, undefined, undefined, undefined, undefined, undefined, ...f.saved, { k: 'fp', off: 0 }];
        s.stack = new Map(f.stack); // other paths return into the same frame
        s.frames = s.frames.slice(0, -1);
        s.pc = f.ret;
        continue;
      }
      if (op === 0x80) {
        if (src === PSEUDO_CALL) {
          // bpf-to-bpf call: the callee sees the caller's r1-r5, a fresh stack
          const frame: Frame = { ret: pc + 1, saved: r.slice(6, 10), stack: s.stack };
          s.frames = [...s.frames, frame];
          s.regs = [undefined, r[1], r[2], r[3], r[4], r[5], undefined, undefined, undefined, undefined, { k: 'fp', off: 0 }];
          s.stack = new Map();
          s.pc = pc + 1 + imm;
          continue;
        }
        for (let i = 0; i <= 5; i++) r[i] = undefined;
        s.pc = pc + 1;
        continue;
      }
      const wide = cls === 5;
      const a = r[dst];
      const b = (code & 0x08) !== 0 ? r[src] : ({ k: 'c', v: u64(BigInt(imm)) } as Value);
      const taken = branch(op, wide, a, b);
      if (taken === undefined) {
        work.push(clone(s, pc + 1 + off));
        s.pc = pc + 1;
      } else {
        s.pc = taken ? pc + 1 + off : pc + 1;
      }
    }
    if (work.length === 0 && callbacks.size > 0) {
      for (const entry of callbacks) work.push({ pc: entry, regs: [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, { k: 'fp', off: 0 }], stack: new Map(), frames: [] });
      callbacks.clear();
    }
  }
  return { kind: 'dead' };
}

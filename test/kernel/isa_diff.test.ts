// Differential test of the ISA: random verifier-accepted programs run in this
// machine's kernel (BPF_PROG_TEST_RUN) and in both of scxray's engines on the
// same context; r0 and every byte the program left in its context (registers,
// stack, scratch memory) must agree. Skips with the reason where bpf() is not
// permitted. `SCXRAY_ISA_DIFF=N` runs N programs (CI runs a time-boxed share).

import { describe, expect, it } from 'vitest';
import type { EngineKind, NativeTable, ProgramImage } from '../../src/sched_ext/vm/abi';
import { BpfFault } from '../../src/sched_ext/vm/fault';
import { createVm } from '../../src/sched_ext/vm/vm';
import { disassemble } from '../../src/sched_ext/vm/index';
import { encode, generateProgram, initialContext } from './isa_gen';
import { kernelOracle, type KernelResult } from './kernel_oracle';

const PROGRAMS = Number(process.env.SCXRAY_ISA_DIFF ?? 600);
const BATCH = 200;
const noNatives: NativeTable = { helper: () => undefined, kfunc: () => undefined };

function runOurs(insns: Uint8Array, ctx: Uint8Array, engine: EngineKind): KernelResult {
  const image: ProgramImage = { name: 'isa_diff', section: 'syscall', insns, lineInfo: [], funcInfo: [], poisoned: new Map(), sleepable: true };
  const vm = createVm({ engine, natives: noNatives });
  const prog = vm.load(image);
  const region = vm.space.alloc('scratch', 'ctx', ctx.length);
  region.bytes.set(ctx);
  try {
    const r0 = vm.call(prog, [vm.space.pointer(region, 0), BigInt(ctx.length)]);
    return { kind: 'ok', retval: Number(BigInt.asUintN(32, r0)), ctx: region.bytes.slice(0, ctx.length) };
  } catch (e) {
    if (e instanceof BpfFault) return { kind: 'error', errno: 0, what: `fault ${e.kind}: ${e.message}` };
    throw e;
  }
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

const oracle = kernelOracle();

describe.skipIf('unavailable' in oracle)(`ISA against the kernel${'unavailable' in oracle ? ` (skipped: ${oracle.unavailable})` : ''}`, () => {
  it(`${PROGRAMS} random programs give the kernel's r0 and context in both engines`, () => {
    if ('unavailable' in oracle) return;
    const counts = { tried: 0, rejected: 0, compared: 0, mismatched: 0 };
    const mismatches: string[] = [];
    const rejections = new Map<string, number>();
    for (let base = 1; base <= PROGRAMS; base += BATCH) {
      const seeds = Array.from({ length: Math.min(BATCH, PROGRAMS - base + 1) }, (_, i) => base + i);
      const programs = seeds.map((seed) => ({ seed, insns: encode(generateProgram(seed).insns), ctx: initialContext(seed) }));
      const kernel = oracle.run(programs);
      programs.forEach((p, i) => {
        counts.tried++;
        const k = kernel[i]!;
        if (k.kind !== 'ok') {
          counts.rejected++;
          const why = k.kind === 'rejected' ? k.reason.replace(/R\d+|\d+/g, '#') : k.what;
          rejections.set(why, (rejections.get(why) ?? 0) + 1);
          return;
        }
        counts.compared++;
        for (const engine of ['interp', 'jit'] as const) {
          const ours = runOurs(p.insns, p.ctx, engine);
          const same = ours.kind === 'ok' && ours.retval === k.retval && hex(ours.ctx) === hex(k.ctx);
          if (!same) {
            counts.mismatched++;
            if (mismatches.length < 3) {
              mismatches.push(`seed ${p.seed} (${engine}): kernel r0=${k.retval} ctx=${hex(k.ctx).slice(0, 144)}\n  ours ${ours.kind === 'ok' ? `r0=${ours.retval} ctx=${hex(ours.ctx).slice(0, 144)}` : ours.kind === 'error' ? ours.what : ''}\n${disassemble({ name: 'x', section: 'x', insns: p.insns, lineInfo: [], funcInfo: [], poisoned: new Map(), sleepable: true }).join('\n')}`);
            }
          }
        }
      });
    }
    console.log(`ISA differential: ${counts.tried} programs tried, ${counts.rejected} rejected by the kernel, ${counts.compared} compared in 2 engines, ${counts.mismatched} mismatched`);
    if (rejections.size) console.log(`kernel rejections: ${[...rejections].map(([w, n]) => `${n}× ${w}`).join('; ')}`);
    expect(mismatches, mismatches.join('\n\n')).toEqual([]);
    // The generator is meant to produce verifier-acceptable programs: most must be compared.
    expect(counts.compared).toBeGreaterThan(counts.tried * 0.9);
  });

  it('notices a difference: the same programs with their initial registers changed disagree with the kernel', () => {
    if ('unavailable' in oracle) return;
    const programs = Array.from({ length: 30 }, (_, i) => {
      const seed = 100_000 + i;
      return { seed, insns: encode(generateProgram(seed).insns), ctx: initialContext(seed) };
    });
    const kernel = oracle.run(programs);
    let noticed = 0;
    programs.forEach((p, i) => {
      const k = kernel[i]!;
      if (k.kind !== 'ok') return;
      // The prologue's nine ld_imm64 (two slots each) follow r6 = r1 and the 8 stack stores.
      const changed = p.insns.slice();
      for (let reg = 0; reg < 9; reg++) changed[(9 + 2 * reg) * 8 + 5] ^= 0x5a;
      const ours = runOurs(changed, p.ctx, 'jit');
      if (ours.kind !== 'ok' || ours.retval !== k.retval || hex(ours.ctx) !== hex(k.ctx)) noticed++;
    });
    expect(noticed).toBeGreaterThan(25);
  });
});

// Differential test of graph and kptr semantics: the runtime's own fixtures
// (test/bpf/runtime/{rbtree,list,kptr}.bpf.c — rbtrees and lists of
// bpf_obj_new nodes, bpf_kptr_xchg stashes in map values, refcounted
// references, removes and drops, each encoding what it observed in its return
// value and globals) are loaded into this machine's kernel with libbpf and
// into scxray's runtime, and the same random sequence of calls runs in both:
// every return value and the .bss after every call must agree.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENGINES, loadProgram, sourcePath } from '../../src/sched_ext/runtime/testing/harness';
import { ArrayMap } from '../../src/sched_ext/runtime/maps/array';
import { bpfFixturePath } from '../support/bpf';
import { Rng } from './isa_gen';
import { objectRunnerUnavailable, runObjectInKernel, type ObjectStep } from './kernel_oracle';

const FIXTURES = ['rbtree', 'list', 'kptr'];
const CALLS = 120;
const CTX_WORDS = 8;

/** The fixture's SEC("syscall") programs and how many ctx[] words each reads. */
function programsOf(name: string): { name: string; args: number }[] {
  const src = readFileSync(sourcePath(name), 'utf8');
  const out: { name: string; args: number }[] = [];
  for (const m of src.matchAll(/SEC\("syscall"\)\s*\nint (\w+)\(u64 \*ctx\)\s*\n\{([\s\S]*?)\n\}/g)) {
    const used = [...m[2]!.matchAll(/ctx\[(\d+)\]/g)].map((x) => Number(x[1]));
    out.push({ name: m[1]!, args: used.length ? Math.max(...used) + 1 : 0 });
  }
  return out;
}

function sequence(name: string, seed: number): { prog: string; args: number[] }[] {
  const r = new Rng(seed);
  const progs = programsOf(name);
  return Array.from({ length: CALLS }, () => {
    const p = r.pick(progs);
    return { prog: p.name, args: Array.from({ length: p.args }, () => r.below(8)) };
  });
}

function ctxBytes(args: number[]): Uint8Array {
  const b = new Uint8Array(8 * CTX_WORDS);
  const v = new DataView(b.buffer);
  args.forEach((a, i) => v.setBigUint64(8 * i, BigInt(a), true));
  return b;
}

const unavailable = objectRunnerUnavailable();

describe.skipIf(unavailable !== undefined)(`graph and kptr semantics against the kernel${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  for (const name of FIXTURES) {
    it(`${name}: ${CALLS} random calls give the kernel's return values and globals, in both engines`, () => {
      const calls = sequence(name, 7);
      const steps: ObjectStep[] = calls.flatMap((c) => [{ call: c.prog, ctx: ctxBytes(c.args) }, { map: '.bss' }]);
      const kernel = runObjectInKernel(bpfFixturePath(`test/bpf/runtime/${name}.bpf.c`), steps);
      if (!kernel.loaded) throw new Error(`the kernel refused ${name}.bpf.o: ${kernel.reason}`);
      const hasBss = kernel.results[1]!.kind === 'map';
      // The sequence exercises the fixture: calls observe several different outcomes.
      const outcomes = new Set(kernel.results.filter((x) => x.kind === 'ret').map((x) => (x.kind === 'ret' ? x.ret : 0)));
      expect(outcomes.size, `distinct return values of ${name}`).toBeGreaterThanOrEqual(3);
      for (const engine of ENGINES) {
        const l = loadProgram(name, engine);
        const bssIndex = l.obj.maps.findIndex((m) => m.section === '.bss');
        calls.forEach((c, i) => {
          const k = kernel.results[2 * i]!;
          expect(k.kind, `kernel ${c.prog}(${c.args})`).toBe('ret');
          const ours = Number(l.run(c.prog, ...c.args, ...Array(CTX_WORDS - c.args.length).fill(0)));
          expect(ours, `call ${i}: ${c.prog}(${c.args.join(', ')}) in ${engine}`).toBe(k.kind === 'ret' ? k.ret : NaN);
          if (hasBss && bssIndex >= 0) {
            const kb = kernel.results[2 * i + 1]!;
            const cell = (l.rt.maps[bssIndex] as ArrayMap).cell(0, 0)!;
            const bytes = cell.region.bytes.subarray(0, l.obj.maps[bssIndex]!.valueSize);
            expect(Buffer.from(bytes).toString('hex'), `.bss after call ${i}: ${c.prog}(${c.args.join(', ')}) in ${engine}`).toBe(kb.kind === 'map' ? Buffer.from(kb.bytes).toString('hex') : '');
          }
        });
      }
    });
  }
});

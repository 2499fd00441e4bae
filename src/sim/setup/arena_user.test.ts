// Setup modules reading and writing arena memory through userspace's mapping
// (test/bpf/setup/arena_mask.bpf.c): the BPF side allocates a mask in the
// arena and hands out its address, the module writes the mask there and the
// BPF side reads it back, as scx's arena library sets up its topology
// (arena_alloc_mask, then userspace fills the bitmap). A page userspace
// touches first is mapped on the spot, as the kernel does on its page fault.

import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../model/events';
import { bpfFixtureBytes } from '../../../test/support/bpf';
import { Simulation } from '../simulation';
import { compileSetupModule, SetupError } from './module';
import { SETUP_PROGRAM } from './setup_run';
import { ArenaMap } from '../../sched_ext/runtime/maps/arena';

function run(source: string): { printed: string[]; arena: ArenaMap } {
  const s = new Simulation({
    objectBytes: bpfFixtureBytes('test/bpf/setup/arena_mask.bpf.c'),
    file: 'arena_mask.bpf.o',
    workload: 'cpu-hogs',
    cpus: 4,
    seed: 1,
    setup: compileSetupModule(source, 'arena.mjs'),
  });
  const printed: string[] = [];
  s.on((e: SimEvent) => {
    if (e.kind === 'printk' && e.program === SETUP_PROGRAM) printed.push(e.text);
  });
  s.runFor(1_000_000);
  return { printed, arena: s.runtime.mapByName('arena') as ArenaMap };
}

const WORDS = 'const words = (...w) => { const b = new Uint8Array(8 * w.length); const v = new DataView(b.buffer); w.forEach((x, i) => v.setBigUint64(8 * i, x, true)); return b; };';

describe('setup module: arena memory through userspace\'s mapping', () => {
  it('writes a mask at the address a syscall program allocated; the BPF side reads it back, and so does the module', () => {
    const { printed, arena } = run([
      WORDS,
      'export function afterLoad(skel) {',
      '  const r = skel.progs.mask_alloc.testRun({});',
      '  const addr = r.ctx.addr;',
      '  skel.maps.arena.write(addr, words(0b1011n, 0n, 0n, 1n << 63n));',
      '  skel.progs.mask_commit.testRun({ ctx: { addr } });',
      '  const back = new DataView(skel.maps.arena.read(addr, 32).buffer);',
      '  print("alloc", r.retval, "bits", skel.bss.nr_bits, "last", skel.bss.last_word, "read back", back.getBigUint64(0, true), back.getBigUint64(24, true));',
      '}',
    ].join('\n'));
    expect(printed).toEqual([`alloc 0 bits 4 last ${1n << 63n} read back 11 ${1n << 63n}`]);
    expect(arena.allocations()).toEqual([{ page: 0, count: 1, kind: 'alloc' }]);
  });

  it('map_extra + offset is the same memory; a page only userspace touched is mapped, zeroed, and the BPF side sees the write', () => {
    const { printed, arena } = run([
      WORDS,
      'export function afterLoad(skel) {',
      '  const page5 = (1n << 44n) + 5n * 4096n;',
      '  const fresh = skel.maps.arena.read(page5 + 8n, 8);',
      '  skel.maps.arena.write(page5, words(77n));',
      '  skel.progs.peek_word.testRun({ ctx: { addr: page5 } });',
      '  print("fresh", fresh.join(","), "peeked", skel.bss.peeked);',
      '}',
    ].join('\n'));
    expect(printed).toEqual(['fresh 0,0,0,0,0,0,0,0 peeked 77']);
    expect(arena.allocations()).toEqual([{ page: 5, count: 1, kind: 'user' }]);
    expect(arena.unmappedReads).toBe(0);
  });

  it('an address outside the arena, a map that is no arena, and a write that is not bytes are named', () => {
    const fails = (body: string): string => {
      try {
        run(`export function afterLoad(skel) {\n  ${body}\n}`);
      } catch (e) {
        if (e instanceof SetupError) return e.message;
        throw e;
      }
      throw new Error('the module did not fail');
    };
    expect(fails('skel.maps.arena.read(4096n, 8);')).toMatch(/^arena\.mjs:2: .*skel\.maps\.arena\.read: 0x1000 is not an address in arena arena/);
    expect(fails('skel.maps.arena.read((1n << 44n) + 32n * 4096n, 8);')).toMatch(/not an address in arena arena/);
    expect(fails("skel.maps['.bss'].read(0n, 8);")).toMatch(/^arena\.mjs:2: .*only arena maps are read and written by address/);
    expect(fails('skel.maps.arena.write(1n << 44n, [1, 2]);')).toMatch(/^arena\.mjs:2: .*takes the bytes as a Uint8Array/);
  });
});

import { describe, expect, it } from 'vitest';
import { ENGINES, loadProgram } from './testing/harness';

describe.each(ENGINES)('helpers and generic kfuncs (%s)', (engine) => {
  it('time, CPU and random come from the host', () => {
    const p = loadProgram('helpers', engine);
    p.host.clock = 123_456_789n;
    p.host.cpu = 3;
    p.run('basics');
    expect(p.g64('out', 0)).toBe(123_456_789n);
    expect(p.g64('out', 1)).toBe(3n);
    const r = p.g64('out', 2);
    expect(r).toBeGreaterThan(0n);
    const q = loadProgram('helpers', engine);
    q.host.cpu = 3;
    q.run('basics');
    expect(q.g64('out', 2)).toBe(r); // seeded: same sequence
  });

  it('bpf_printk formats its arguments into printk events', () => {
    const p = loadProgram('helpers', engine);
    p.host.cpu = 1;
    p.run('print', -5n & 0xffff_ffff_ffff_ffffn, 7, 0xbeefn);
    expect(p.host.ofKind('printk').map((e) => [e.cpu, e.program, e.text])).toEqual([
      [1, 'print', 'a=-5 b=7 c=beef'],
      [1, 'print', 'name=scxray v=-5'],
    ]);
  });

  it('bpf_snprintf writes the string and returns its length with the NUL', () => {
    const p = loadProgram('helpers', engine);
    expect(p.run('format', 42, 7)).toBe(9n);
    const g = p.obj.globals.find((x) => x.name === 'sbuf')!;
    const bytes = p.rt.maps[g.mapIndex]!.cells()[0]!.region.bytes.subarray(g.offset, g.offset + 9);
    expect(new TextDecoder().decode(bytes)).toBe('42:00007\0');
  });

  it('bpf_loop calls the body until it returns 1', () => {
    const p = loadProgram('helpers', engine);
    expect(p.run('loop_sum', 10, 100)).toBe(45n);
    expect(p.g64('out', 0)).toBe(10n);
    expect(p.run('loop_sum', 10, 4)).toBe(6n);
    expect(p.g64('out', 0)).toBe(5n);
  });

  it('bpf_for iterates [start, end) through bpf_iter_num_*', () => {
    const p = loadProgram('helpers', engine);
    expect(p.run('for_sum', 0, 10)).toBe(45n);
    expect(p.run('for_sum', -3, 3)).toBe(-3n);
    expect(p.run('for_sum', 5, 5)).toBe(0n);
    expect(p.run('for_sum', 6, 2)).toBe(0n);
  });

  it('cpumask kfuncs: set/test/first/weight/and, create and release are balanced', () => {
    const p = loadProgram('helpers', engine);
    // weight 2, first 1, test(3) true, (m & o) first = 3; cpu 99 is past nr_cpu_ids and ignored
    expect(p.run('mask_ops')).toBe(2000n + 100n + 10n + 3n);
    expect(p.rt.heapObjects()).toEqual([]);
    expect(p.host.ofKind('obj_new').map((e) => e.type)).toEqual(['struct bpf_cpumask', 'struct bpf_cpumask']);
    expect(p.rt.diagnostics()).toEqual([]);
  });

  it('a cpumask stashed in a __kptr slot is owned by it, replaced masks are released, unload frees it', () => {
    const p = loadProgram('helpers', engine);
    expect(p.run('mask_stash', 2)).toBe(0n);
    expect(p.run('mask_stash', 1)).toBe(0n);
    const live = p.rt.heapObjects();
    expect(live).toHaveLength(1);
    expect(live[0]!.owner).toEqual({ kind: 'kptr', slot: 'map masks[0].mask' });
    expect(live[0]!.fields).toEqual({ cpus: '1' });
    p.rt.unload();
    expect(p.rt.heapObjects()).toEqual([]);
    expect(p.rt.diagnostics()).toEqual([]);
  });

  it('a stashed cpumask may be read back from its slot (RCU) and acquired without a diagnostic', () => {
    const p = loadProgram('helpers', engine);
    expect(p.run('mask_stash_read', 3)).toBe(1n);
    expect(p.rt.heapObjects().map((o) => [o.owner, o.refcount])).toEqual([[{ kind: 'kptr', slot: 'map masks[0].mask' }, 1]]);
    expect(p.rt.diagnostics()).toEqual([]);
  });

  it('bpf_timer fires its callback in virtual time on the pinned CPU and re-arms itself', () => {
    const p = loadProgram('helpers', engine);
    p.host.cpu = 2;
    expect(p.run('arm', 5000, 2, 3)).toBe(0n);
    p.host.cpu = 0;
    expect(p.host.advance(p.host.clock + 4999n)).toBe(0);
    const start = p.host.clock - 4999n;
    expect(p.host.advance(p.host.clock + 10_000n)).toBe(3);
    const v = p.cell('timers').region.view;
    expect(v.getBigUint64(16, true)).toBe(3n); // fired
    expect(v.getBigUint64(24, true)).toBe(start + 5000n + 2000n); // last firing time
    expect(v.getBigUint64(32, true)).toBe(2n); // on the CPU that armed it
    expect(p.run('disarm')).toBe(0n);
  });

  it('bpf_timer_cancel stops an armed timer and reports that it was active', () => {
    const p = loadProgram('helpers', engine);
    expect(p.run('arm', 1000, 0, 1)).toBe(0n);
    expect(p.run('disarm')).toBe(1n);
    expect(p.host.advance(p.host.clock + 5000n)).toBe(0);
    expect(p.run('arm', 1000, 8, 1)).toBe(-22n); // unknown flag
  });

  it('bpf_probe_read_kernel copies, or zeroes and returns -EFAULT on a bad address', () => {
    const p = loadProgram('helpers', engine);
    const r = p.rt.space.alloc('kernel', 'some kernel object', 16);
    r.view.setBigUint64(8, 0x1122334455n, true);
    expect(p.run('peek', p.rt.space.pointer(r, 8))).toBe(0n);
    expect(p.g64('out', 0)).toBe(0x1122334455n);
    expect(p.run('peek', 0x1234)).toBe(-14n);
    expect(p.g64('out', 0)).toBe(0n);
  });
});

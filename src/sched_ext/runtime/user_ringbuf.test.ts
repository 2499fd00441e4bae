import { describe, expect, it } from 'vitest';
import { ENGINES, loadProgram } from './testing/harness';
import { UserRingbufMap } from './maps/user_ringbuf';

function sample(pid: number, slice: number, stop = false): Uint8Array {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, BigInt(pid), true);
  v.setBigUint64(8, BigInt(slice), true);
  v.setUint32(16, stop ? 1 : 0, true);
  return b;
}

describe.each(ENGINES)('BPF_MAP_TYPE_USER_RINGBUF and bpf_user_ringbuf_drain (%s)', (engine) => {
  it('drains the samples user space produced, in order, through dynptrs; a callback returning 1 stops the drain', () => {
    const p = loadProgram('user_ringbuf', engine);
    const rb = p.rt.mapByName('from_user') as UserRingbufMap;
    expect(rb).toBeInstanceOf(UserRingbufMap);
    expect(p.run('drain')).toBe(0n); // nothing produced yet
    for (const [pid, slice, stop] of [[1, 5, false], [2, 7, true], [3, 9, false]] as const) expect(rb.produce(sample(pid, slice, stop))).toBe(0);
    // the second sample stops the drain after it is consumed: 2 drained, 1 left
    expect(p.run('drain')).toBe(2n);
    expect(p.g64('out', 0)).toBe(2n);
    expect(p.g64('out', 1)).toBe(1005n + 2007n);
    expect(p.g64('out', 2)).toBe(16n);
    expect(p.g64('out', 3)).toBe(2n);
    expect(rb.pending()).toBe(1);
    expect(p.run('drain')).toBe(1n);
    expect(p.g64('out', 1)).toBe(1005n + 2007n + 3009n);
  });

  it('user space is refused a sample that can never fit (-E2BIG) and one that does not fit now (-ENOSPC)', () => {
    const p = loadProgram('user_ringbuf', engine);
    const rb = p.rt.mapByName('from_user') as UserRingbufMap;
    expect(rb.produce(new Uint8Array(4096))).toBe(-7);
    let n = 0;
    while (rb.produce(sample(n, n)) === 0) n++;
    // 32-byte records (8-byte header + 24) fill the 4096-byte buffer
    expect(n).toBe(128);
    expect(rb.produce(sample(0, 0))).toBe(-28);
    expect(p.run('drain')).toBe(128n);
  });
});

import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../vm/memory';
import { BpfFault } from '../vm/fault';
import { formatBpf } from './printf';

describe('formatBpf (bpf_bprintf_prepare subset)', () => {
  const space = new AddressSpace();
  const str = space.alloc('global', 'str', 8);
  str.bytes.set(new TextEncoder().encode('hello\0'));
  const s = space.pointer(str, 0);

  it('takes int conversions as 32-bit unless l/ll', () => {
    expect(formatBpf(space, '%d %u %x', [0xffff_ffffn, 0x1_0000_0005n, 0xabcdn])).toBe('-1 5 abcd');
    expect(formatBpf(space, '%lld %llu %lx', [0xffff_ffff_ffff_fffen, 1n << 40n, 0xdead_beef_cafen])).toBe('-2 1099511627776 deadbeefcafe');
  });

  it('handles width, zero padding, left alignment, %%, %c, %p and %s', () => {
    expect(formatBpf(space, '[%5d|%-4u|%04x|%%|%c]', [42n, 7n, 0xan, 65n])).toBe('[   42|7   |000a|%|A]');
    expect(formatBpf(space, '%s/%.3s/%p', [s, s, 0x10n])).toBe('hello/hel/0x10');
    expect(formatBpf(space, '%s %s', [0n, 0x4242n])).toBe('(null) (efault)');
  });

  it('refuses a format that needs more arguments than given', () => {
    expect(() => formatBpf(space, '%d %d', [1n])).toThrow(BpfFault);
  });
});

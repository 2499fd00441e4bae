// The printf subset the kernel's bpf_bprintf_prepare() accepts for
// bpf_trace_printk, bpf_trace_vprintk and bpf_snprintf: flags, width,
// precision, the h/hh/l/ll/z length modifiers, d i u x X o c s p and %%.
// Arguments are u64 values; without l/ll they are taken as 32-bit, as the
// kernel casts them.

import type { AddressSpace } from '../vm/memory';
import { BpfFault } from '../vm/fault';

const SPEC = /%([-+ 0#]*)(\d*)(?:\.(\d+))?(hh|h|ll|l|z)?([diuxXocsp%])/g;

export function formatBpf(space: AddressSpace, fmt: string, args: readonly bigint[]): string {
  let next = 0;
  const take = (): bigint => {
    if (next >= args.length) throw new BpfFault('native', `format "${fmt}" needs more than the ${args.length} argument(s) given`);
    return args[next++]!;
  };
  return fmt.replace(SPEC, (_m, flags: string, width: string, prec: string | undefined, len: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const wide = len === 'l' || len === 'll' || len === 'z';
    let body: string;
    switch (conv) {
      case 'd':
      case 'i': {
        const v = take();
        body = (wide ? BigInt.asIntN(64, v) : BigInt.asIntN(len === 'h' ? 16 : len === 'hh' ? 8 : 32, v)).toString();
        if (flags.includes('+') && !body.startsWith('-')) body = '+' + body;
        break;
      }
      case 'u':
        body = unsigned(take(), wide, len).toString();
        break;
      case 'x':
      case 'X':
        body = unsigned(take(), wide, len).toString(16);
        if (flags.includes('#')) body = '0x' + body;
        if (conv === 'X') body = body.toUpperCase();
        break;
      case 'o':
        body = unsigned(take(), wide, len).toString(8);
        break;
      case 'c':
        body = String.fromCharCode(Number(take() & 0xffn));
        break;
      case 'p':
        body = '0x' + BigInt.asUintN(64, take()).toString(16);
        break;
      default: {
        const ptr = take();
        body = readString(space, ptr);
        if (prec !== undefined) body = body.slice(0, Number(prec));
      }
    }
    const w = width === '' ? 0 : Number(width);
    if (body.length >= w) return body;
    if (flags.includes('-')) return body.padEnd(w);
    if (flags.includes('0') && conv !== 's' && conv !== 'c') {
      const neg = body.startsWith('-') || body.startsWith('+');
      return neg ? body[0] + body.slice(1).padStart(w - 1, '0') : body.padStart(w, '0');
    }
    return body.padStart(w);
  });
}

function unsigned(v: bigint, wide: boolean, len: string | undefined): bigint {
  if (wide) return BigInt.asUintN(64, v);
  return BigInt.asUintN(len === 'h' ? 16 : len === 'hh' ? 8 : 32, v);
}

/** %s reads kernel memory with a fault-safe copy; a bad pointer prints as the kernel's "(efault)"... */
function readString(space: AddressSpace, ptr: bigint): string {
  if (ptr === 0n) return '(null)';
  try {
    return space.readCString(ptr, 1024);
  } catch (e) {
    if (e instanceof BpfFault) return '(efault)';
    throw e;
  }
}

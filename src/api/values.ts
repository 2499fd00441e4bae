// Decode the bytes of a BPF global variable or map value by its BTF type,
// for the library API's globalsAt / mapAt: integers and enums become
// bigint, char arrays strings, other arrays lists, structs and unions
// objects by member name; anything else (pointers, floats, bitfields) keeps
// its raw bytes so nothing is lost.

import type { Btf } from '../sched_ext/btf/btf';

export type BpfValue = bigint | string | Uint8Array | BpfValue[] | { [member: string]: BpfValue };

function readInt(view: DataView, off: number, size: number, signed: boolean): bigint | undefined {
  switch (size) {
    case 1: return BigInt(signed ? view.getInt8(off) : view.getUint8(off));
    case 2: return BigInt(signed ? view.getInt16(off, true) : view.getUint16(off, true));
    case 4: return BigInt(signed ? view.getInt32(off, true) : view.getUint32(off, true));
    case 8: return signed ? view.getBigInt64(off, true) : view.getBigUint64(off, true);
    default: return undefined;
  }
}

/** `bytes` holds the whole value; typeId is in `btf` (the object's BTF). Unknown or zero type ids give the bytes back. */
export function decodeValue(btf: Btf, typeId: number, bytes: Uint8Array, depth = 0): BpfValue {
  if (typeId === 0 || depth > 16) return bytes.slice();
  const t = btf.resolve(typeId);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (t.kind) {
    case 'int': {
      if (t.bits !== t.size * 8 || t.bitOffset !== 0) return bytes.slice();
      return readInt(view, 0, t.size, t.signed) ?? bytes.slice();
    }
    case 'enum':
    case 'enum64':
      return readInt(view, 0, t.size, t.signed) ?? bytes.slice();
    case 'array': {
      const elem = btf.resolve(t.type);
      const size = btf.sizeOf(t.type);
      if (elem.kind === 'int' && elem.size === 1 && (elem.char || /char/.test(elem.name))) {
        const end = bytes.indexOf(0);
        return new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end));
      }
      const out: BpfValue[] = [];
      for (let i = 0; i < t.nelems && (i + 1) * size <= bytes.length; i++) out.push(decodeValue(btf, t.type, bytes.subarray(i * size, (i + 1) * size), depth + 1));
      return out;
    }
    case 'struct':
    case 'union': {
      const out: { [member: string]: BpfValue } = {};
      for (const m of t.members) {
        if (m.name === '' || m.bitfieldSize || m.bitOffset % 8 !== 0) continue;
        const off = m.bitOffset / 8;
        const size = btf.sizeOf(m.type);
        if (off + size > bytes.length) continue;
        out[m.name] = decodeValue(btf, m.type, bytes.subarray(off, off + size), depth + 1);
      }
      return out;
    }
    default:
      return bytes.slice();
  }
}

// Test-only: BTF blobs built byte by byte to attack readers that walk types.

// [1] int, [2] func_proto returning int with 50 params of type [3], [3] ptr -> [2]:
// legal (no modifier loop) but a naive recursive walk visits 50^depth nodes.
export function fanOut(): Uint8Array {
  const n = 50;
  const typeLen = 16 + 12 + 8 * n + 12;
  const strs = [0, ...Buffer.from('int\0')];
  const dv = new DataView(new ArrayBuffer(24 + typeLen + strs.length));
  dv.setUint16(0, 0xeb9f, true);
  dv.setUint8(2, 1);
  dv.setUint32(4, 24, true);
  dv.setUint32(12, typeLen, true);
  dv.setUint32(16, typeLen, true);
  dv.setUint32(20, strs.length, true);
  let p = 24;
  const u32 = (v: number) => {
    dv.setUint32(p, v, true);
    p += 4;
  };
  [1, 1 << 24, 4, (1 << 24) | 32].forEach(u32); // [1] INT int, signed 32 bits
  [0, (13 << 24) | n, 1].forEach(u32); // [2] FUNC_PROTO
  for (let i = 0; i < n; i++) [0, 3].forEach(u32);
  [0, 2 << 24, 2].forEach(u32); // [3] PTR -> [2]
  strs.forEach((b, i) => dv.setUint8(p + i, b));
  return new Uint8Array(dv.buffer);
}


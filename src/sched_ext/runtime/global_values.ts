// The scheduler's global variables as they are now: each .bss/.data/.rodata
// variable read from its global map's memory (what the programs wrote, not
// the ELF's initial value), for snapshots and the state view.
import type { GlobalValueSnapshot } from '../../model/events';
import type { GlobalVar } from '../loader/object';
import type { BpfMap } from './maps/map';
import { ArrayMap } from './maps/array';

/** Decimal for 1/2/4/8-byte scalars (little-endian, unsigned), hex bytes (the first 64) otherwise. */
export function formatGlobalBytes(bytes: Uint8Array, offset: number, size: number): string | undefined {
  if (offset + size > bytes.length) return undefined;
  if (size === 1 || size === 2 || size === 4 || size === 8) {
    let x = 0n;
    for (let i = size - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[offset + i]!);
    return x.toString();
  }
  const shown = bytes.subarray(offset, offset + Math.min(size, 64));
  const hex = Array.from(shown, (b) => b.toString(16).padStart(2, '0')).join('');
  return size > 64 ? `${hex}…` : hex;
}

export function readGlobals(globals: readonly GlobalVar[], maps: readonly BpfMap[]): GlobalValueSnapshot[] {
  const out: GlobalValueSnapshot[] = [];
  for (const g of globals) {
    const m = maps[g.mapIndex];
    const cell = m instanceof ArrayMap ? m.cell(0, 0) : undefined;
    if (!cell) continue;
    const value = formatGlobalBytes(cell.region.bytes, g.offset, g.size);
    if (value !== undefined) out.push({ name: g.name, section: g.section, value });
  }
  return out;
}

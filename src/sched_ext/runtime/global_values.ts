// The scheduler's global variables and map entries as they are now: each
// .bss/.data/.rodata variable read from its global map's memory (what the
// programs wrote, not the ELF's initial value), and the first entries of
// every other map, for snapshots and the state view.
import type { GlobalValueSnapshot, MapContentSnapshot } from '../../model/events';
import { mapTypeName } from '../loader/report';
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

/** Entries shown per map in a snapshot. */
export const MAP_ENTRIES_SHOWN = 64;

function valueText(bytes: Uint8Array, size: number): string {
  if (size === 1 || size === 2 || size === 4 || size === 8) return formatGlobalBytes(bytes, 0, size) ?? '';
  const shown = bytes.subarray(0, Math.min(size, 32));
  const hex = Array.from(shown, (b) => b.toString(16).padStart(2, '0')).join('');
  return size > 32 ? `${hex}…` : hex;
}

export function readMaps(maps: readonly BpfMap[]): MapContentSnapshot[] {
  const out: MapContentSnapshot[] = [];
  for (const m of maps) {
    if (m.spec.origin !== 'btf') continue;
    let cells: ReturnType<BpfMap['cells']>;
    try {
      cells = m.cells();
    } catch {
      continue; // a map kind without enumerable values (ring buffer, queue): nothing to list
    }
    out.push({
      name: m.name,
      type: mapTypeName(m.spec.type),
      count: cells.length,
      entries: cells.slice(0, MAP_ENTRIES_SHOWN).map((c) => ({ key: c.keyLabel, value: valueText(c.region.bytes, m.spec.valueSize) })),
    });
  }
  return out;
}

// Create the runtime map for a MapSpec, by BPF_MAP_TYPE, with the special
// fields of its value type (from the program's BTF) so kptr slots, graph
// roots, spin locks and timers inside values are known.

import type { GlobalVar, MapSpec } from '../../loader/object';
import { MapFlag, MapType } from '../../loader/object';
import { specialFields, type SpecialField } from '../../btf/special_fields';
import type { Btf } from '../../btf/btf';
import type { RuntimeCore } from '../core';
import { ArenaMap } from './arena';
import { UserRingbufMap } from './user_ringbuf';
import { ArrayMap } from './array';
import { HashMap } from './hash';
import { LocalStorageMap } from './local_storage';
import { BpfMap, type ValueCell } from './map';
import { MapOfMaps } from './map_of_maps';
import { QueueStackMap } from './queue_stack';
import { RingbufMap } from './ringbuf';

/** A map type the runtime does not model (prog arrays, perf event arrays...): lookups see nothing. */
export class InertMap extends BpfMap {
  lookup(): bigint {
    return 0n;
  }
  cells(): ValueCell[] {
    return [];
  }
}

/**
 * Special fields of a map's value. For global data the object's DATASEC
 * still has clang's zero offsets (libbpf fixes them up from the symbol table
 * at load), so each variable is walked on its own — from its VAR, where the
 * `contains:` decl tags sit — and placed at the loader's symbol offset.
 */
export function valueFieldsOf(btf: Btf, spec: MapSpec, globals: readonly GlobalVar[] = []): SpecialField[] {
  if (spec.origin !== 'global') return spec.valueTypeId > 0 ? specialFields(btf, spec.valueTypeId) : [];
  const sec = btf.findByName(spec.section, 'datasec');
  if (sec === undefined || sec.kind !== 'datasec') return [];
  const out: SpecialField[] = [];
  for (const v of sec.vars) {
    const vt = btf.type(v.type);
    const g = globals.find((x) => x.mapIndex === spec.index && x.name === vt.name);
    if (vt.kind !== 'var' || g === undefined) continue;
    for (const f of specialFields(btf, vt.id)) out.push({ ...f, offset: f.offset + g.offset });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

export function createMap(spec: MapSpec, core: RuntimeCore, globals: readonly GlobalVar[] = []): BpfMap {
  const fields = valueFieldsOf(core.btf, spec, globals);
  switch (spec.type) {
    case MapType.ARRAY:
    case MapType.STRUCT_OPS: {
      const ro = (spec.flags & MapFlag.RDONLY_PROG) !== 0 || (spec.origin === 'global' && spec.section.startsWith('.rodata'));
      return new ArrayMap(spec, core, fields, { percpu: false, readonly: ro });
    }
    case MapType.PERCPU_ARRAY:
      return new ArrayMap(spec, core, fields, { percpu: true, readonly: false });
    case MapType.HASH:
      return new HashMap(spec, core, fields, { percpu: false, lru: false });
    case MapType.PERCPU_HASH:
      return new HashMap(spec, core, fields, { percpu: true, lru: false });
    case MapType.LRU_HASH:
      return new HashMap(spec, core, fields, { percpu: false, lru: true });
    case MapType.LRU_PERCPU_HASH:
      return new HashMap(spec, core, fields, { percpu: true, lru: true });
    case MapType.QUEUE:
      return new QueueStackMap(spec, core, false);
    case MapType.STACK:
      return new QueueStackMap(spec, core, true);
    case MapType.RINGBUF:
      return new RingbufMap(spec, core);
    case MapType.TASK_STORAGE:
      return new LocalStorageMap(spec, core, fields, 'task');
    case MapType.CGRP_STORAGE:
      return new LocalStorageMap(spec, core, fields, 'cgroup');
    case MapType.ARRAY_OF_MAPS:
    case MapType.HASH_OF_MAPS:
      return new MapOfMaps(spec, core);
    case MapType.ARENA:
      return new ArenaMap(spec, core);
    case MapType.USER_RINGBUF:
      return new UserRingbufMap(spec, core);
    default:
      return new InertMap(spec, core, fields);
  }
}

/** Fill map-of-maps slots from `__array(values, …)` initialisers, once every map exists. */
export function linkInnerMaps(maps: readonly BpfMap[]): void {
  const byName = new Map(maps.map((m) => [m.name, m]));
  for (const m of maps) {
    if (!(m instanceof MapOfMaps)) continue;
    for (const { slot, mapName } of m.spec.initialSlots ?? []) {
      const inner = byName.get(mapName);
      if (inner !== undefined) m.setSlot(slot, inner);
    }
  }
}

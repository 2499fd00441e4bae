// Live views of BTF-typed memory for the setup skeleton: `skel.rodata.cfg`
// is a proxy whose members read and write the section's bytes, so
// `skel.rodata.pair_cpu[3] = 5` and `skel.bss.stats.nr_enqueued` work as the
// C skeleton's `skel->rodata->pair_cpu[3] = 5` does. Scalars and char[N]
// read as plain values; arrays and structs as further views. Wrong types and
// indexes out of bounds throw TypedValueErrors naming the place.

import type { Btf } from '../../sched_ext/btf/btf';
import { readTyped, step, typeDesc, TypedValueError, writeTyped, type TypedPlace } from '../../sched_ext/btf/typed_value';

export interface ViewTarget {
  btf: Btf;
  /** The bytes the place lives in (they may move: before load the initial value, after load the live map value). */
  bytes(): Uint8Array;
  /** Undefined when writable, else why not. */
  readonlyReason(): string | undefined;
}

function isCompositeView(btf: Btf, typeId: number): boolean {
  const t = btf.resolve(typeId);
  if (t.kind === 'struct' || t.kind === 'union') return true;
  if (t.kind !== 'array') return false;
  const e = btf.resolve(t.type);
  return !(e.kind === 'int' && e.size === 1);
}

/** The value at `place`: a plain value for scalars and char[N], a live proxy for arrays and structs. */
export function viewOf(target: ViewTarget, place: TypedPlace): unknown {
  if (!isCompositeView(target.btf, place.typeId)) return readTyped(target.btf, target.bytes(), place);
  return compositeProxy(target, place);
}

export function writeAt(target: ViewTarget, place: TypedPlace, value: unknown): void {
  const why = target.readonlyReason();
  if (why !== undefined) throw new TypedValueError(place.label, why);
  writeTyped(target.btf, target.bytes(), place, value);
}

const PASS_THROUGH = new Set(['then', 'toJSON', 'constructor', 'inspect', 'asymmetricMatch', '$$typeof', 'nodeType']);

function compositeProxy(target: ViewTarget, place: TypedPlace): unknown {
  const btf = target.btf;
  const t = btf.resolve(place.typeId);
  const plain = () => readTyped(btf, target.bytes(), place);
  if (t.kind === 'array') {
    const n = t.nelems;
    const at = (i: number) => step(btf, place, { index: i });
    return new Proxy([] as unknown[], {
      get(arr, prop) {
        if (prop === 'length') return n;
        if (prop === 'toJSON') return plain;
        if (prop === Symbol.iterator) {
          return function* () {
            for (let i = 0; i < n; i++) yield viewOf(target, at(i));
          };
        }
        if (typeof prop === 'string' && /^\d+$/.test(prop)) return viewOf(target, at(Number(prop)));
        if (typeof prop === 'string' && /^-\d+$/.test(prop)) return viewOf(target, at(Number(prop)));
        return Reflect.get(arr, prop) as unknown;
      },
      set(_arr, prop, value) {
        if (typeof prop === 'string' && /^-?\d+$/.test(prop)) {
          writeAt(target, at(Number(prop)), value);
          return true;
        }
        throw new TypedValueError(`${place.label}.${String(prop)}`, `${place.label} is a ${typeDesc(btf, place.typeId)}; only its elements can be assigned`);
      },
      has(_arr, prop) {
        return typeof prop === 'string' && /^\d+$/.test(prop) ? Number(prop) < n : prop === 'length';
      },
      ownKeys() {
        return [...Array.from({ length: n }, (_, i) => String(i)), 'length'];
      },
      getOwnPropertyDescriptor(_arr, prop) {
        if (prop === 'length') return { value: n, writable: false, enumerable: false, configurable: false };
        if (typeof prop === 'string' && /^\d+$/.test(prop) && Number(prop) < n) return { value: viewOf(target, at(Number(prop))), writable: true, enumerable: true, configurable: true };
        return undefined;
      },
    });
  }
  const composite = t.kind === 'struct' || t.kind === 'union' ? t : undefined;
  const names = (composite?.members ?? []).map((m) => m.name).filter((x) => x !== '');
  return new Proxy({} as Record<string, unknown>, {
    get(_obj, prop) {
      if (typeof prop !== 'string') return undefined;
      if (prop === 'toJSON') return plain;
      if (PASS_THROUGH.has(prop) && !names.includes(prop)) return undefined;
      return viewOf(target, step(btf, place, { field: prop }));
    },
    set(_obj, prop, value) {
      writeAt(target, step(btf, place, { field: String(prop) }), value);
      return true;
    },
    has(_obj, prop) {
      return typeof prop === 'string' && names.includes(prop);
    },
    ownKeys() {
      return names;
    },
    getOwnPropertyDescriptor(_obj, prop) {
      if (typeof prop !== 'string' || !names.includes(prop)) return undefined;
      return { value: viewOf(target, step(btf, place, { field: prop })), writable: true, enumerable: true, configurable: true };
    },
  });
}

// Compiles the event kinds' column descriptors (src/model/event_kinds.ts)
// into the three things the trace needs per kind: write an event's arguments
// into the int/string/blob streams, read them back into an object, and skip
// them (count how much of each stream an event uses) without building it.
// One description drives all three, so they cannot drift apart.

import type { Column, EventKindInfo } from '../../model/event_kinds';
import { EVENT_KINDS, KIND_BY_CODE, KIND_NAMES } from '../../model/event_kinds';
import type { SimEvent, SimEventKind } from '../../model/events';
import { TraceError } from './errors';
import { compileWriter } from './event_writer_gen';

/** Where an event's arguments are written (EventEncoder). */
export interface ArgWriter {
  /** An integer field; refuses a non-integer naming `what`. */
  int(v: unknown, what: string): void;
  /** A count, code or flag word the codec computed itself. */
  raw(v: number): void;
  str(v: unknown, what: string): void;
  blob(bytes: Uint8Array): void;
}

/** Where they are read back from (EventCursor). */
export interface ArgReader {
  int(): number;
  str(): string;
  blob(n: number): Uint8Array;
  /** A code into `values`, or a 'corrupt' error naming `what`. */
  pick(values: readonly string[], what: string): string;
  json(what: string): unknown;
}

/** Positions in a chunk's streams while skipping: `ints` is read for counts and flags. */
export interface SkipState {
  ints: Float64Array;
  io: number;
  so: number;
  bo: number;
}

type Obj = Record<string, unknown>;

interface ColumnCodec {
  write(w: ArgWriter, from: Obj): void;
  read(r: ArgReader, into: Obj): void;
  skip(s: SkipState): void;
  /** Stream entries used when they never vary, else undefined. */
  fixed: { ints: number; strs: number } | undefined;
}

/** One kind compiled: its fields after cpu and pid. */
export interface KindCodec {
  readonly kind: SimEventKind;
  readonly info: EventKindInfo;
  /** Generated straight-line code (event_writer_gen.ts); the recorder's per-event path. */
  write(w: ArgWriter, ev: SimEvent): void;
  /** The same through the generic column codecs, which the generated writer must match byte for byte. */
  writeGeneric(w: ArgWriter, ev: SimEvent): void;
  read(r: ArgReader, into: Obj): void;
  skip(s: SkipState): void;
  readonly fixed: { ints: number; strs: number } | undefined;
}

const at = (ints: Float64Array, i: number): number => (i < ints.length ? ints[i]! : 0);

function sumFixed(codecs: readonly ColumnCodec[]): ColumnCodec['fixed'] {
  let ints = 0;
  let strs = 0;
  for (const c of codecs) {
    if (!c.fixed) return undefined;
    ints += c.fixed.ints;
    strs += c.fixed.strs;
  }
  return { ints, strs };
}

function sequence(columns: readonly Column[]): ColumnCodec {
  const codecs = columns.map(compileColumn);
  return {
    write(w, from) {
      for (let i = 0; i < codecs.length; i++) codecs[i]!.write(w, from);
    },
    read(r, into) {
      for (const c of codecs) c.read(r, into);
    },
    skip(s) {
      for (const c of codecs) c.skip(s);
    },
    fixed: sumFixed(codecs),
  };
}

function compileColumn(col: Column): ColumnCodec {
  switch (col.type) {
    case 'int': {
      const { name } = col;
      return { write: (w, o) => w.int(o[name], name), read: (r, o) => void (o[name] = r.int()), skip: (s) => void s.io++, fixed: { ints: 1, strs: 0 } };
    }
    case 'bool': {
      const { name } = col;
      return { write: (w, o) => w.raw(o[name] ? 1 : 0), read: (r, o) => void (o[name] = r.int() !== 0), skip: (s) => void s.io++, fixed: { ints: 1, strs: 0 } };
    }
    case 'str': {
      const { name } = col;
      return { write: (w, o) => w.str(o[name], name), read: (r, o) => void (o[name] = r.str()), skip: (s) => void s.so++, fixed: { ints: 0, strs: 1 } };
    }
    case 'json': {
      const { name } = col;
      return { write: (w, o) => w.str(JSON.stringify(o[name]), name), read: (r, o) => void (o[name] = r.json(name)), skip: (s) => void s.so++, fixed: { ints: 0, strs: 1 } };
    }
    case 'enum': {
      const { name, values } = col;
      return {
        write(w, o) {
          const code = values.indexOf(o[name] as string);
          if (code < 0) throw new RangeError(`unknown ${name} ${String(o[name])}`);
          w.raw(code);
        },
        read: (r, o) => void (o[name] = r.pick(values, name)),
        skip: (s) => void s.io++,
        fixed: { ints: 1, strs: 0 },
      };
    }
    case 'strs': {
      const { name } = col;
      return {
        write(w, o) {
          const list = o[name] as unknown[];
          if (!Array.isArray(list)) throw new TypeError(`${name} must be a list`);
          w.raw(list.length);
          for (const v of list) w.str(v, name);
        },
        read(r, o) {
          const n = r.int();
          const list: string[] = [];
          for (let j = 0; j < n; j++) list.push(r.str());
          o[name] = list;
        },
        skip(s) {
          s.so += at(s.ints, s.io++);
        },
        fixed: undefined,
      };
    }
    case 'blob': {
      const { name } = col;
      return {
        write(w, o) {
          const bytes = o[name] as Uint8Array;
          if (!(bytes instanceof Uint8Array)) throw new TypeError(`${name} must be bytes`);
          w.raw(bytes.length);
          w.blob(bytes);
        },
        read(r, o) {
          o[name] = r.blob(r.int());
        },
        skip(s) {
          s.bo += at(s.ints, s.io++);
        },
        fixed: undefined,
      };
    }
    case 'struct': {
      const { name } = col;
      const inner = sequence(col.columns);
      return {
        write(w, o) {
          const v = o[name];
          if (typeof v !== 'object' || v === null) throw new TypeError(`${name} must be an object`);
          inner.write(w, v as Obj);
        },
        read(r, o) {
          const v: Obj = {};
          inner.read(r, v);
          o[name] = v;
        },
        skip: inner.skip,
        fixed: inner.fixed,
      };
    }
    case 'union': {
      const { name, tag } = col;
      const names = col.variants.map(([n]) => n);
      const bodies = col.variants.map(([, cols]) => sequence(cols));
      return {
        write(w, o) {
          const v = o[name] as Obj;
          const code = names.indexOf(v?.[tag] as string);
          if (code < 0) throw new RangeError(`unknown ${name} ${tag} ${String(v?.[tag])}`);
          w.raw(code);
          bodies[code]!.write(w, v);
        },
        read(r, o) {
          const variant = r.pick(names, `${name} ${tag}`);
          const v: Obj = { [tag]: variant };
          bodies[names.indexOf(variant)]!.read(r, v);
          o[name] = v;
        },
        skip(s) {
          const code = at(s.ints, s.io++);
          const body = bodies[code];
          if (!body) throw new TraceError('corrupt', `unknown ${name} ${tag} code ${code}`);
          body.skip(s);
        },
        fixed: undefined,
      };
    }
    case 'flags': {
      const members = col.members.map((m) => (m.type === 'bool' ? { bit: m.name, codec: undefined } : { bit: undefined, codec: compileColumn(m.column), name: columnName(m.column) }));
      return {
        // Plain loops: this runs for every op and dsq_insert event the recorder stores.
        write(w, o) {
          let word = 0;
          for (let i = 0; i < members.length; i++) {
            const m = members[i]!;
            if (m.bit !== undefined ? o[m.bit] : o[m.name!] !== undefined) word |= 1 << i;
          }
          w.raw(word);
          for (let i = 0; i < members.length; i++) {
            const m = members[i]!;
            if (m.codec && word & (1 << i)) m.codec.write(w, o);
          }
        },
        read(r, o) {
          const word = r.int();
          members.forEach((m, i) => {
            if (m.bit !== undefined) o[m.bit] = (word & (1 << i)) !== 0;
          });
          members.forEach((m, i) => {
            if (m.codec && word & (1 << i)) m.codec.read(r, o);
          });
        },
        skip(s) {
          const word = at(s.ints, s.io++);
          members.forEach((m, i) => {
            if (m.codec && word & (1 << i)) m.codec.skip(s);
          });
        },
        fixed: undefined,
      };
    }
  }
}

function columnName(col: Column): string {
  if (col.type === 'flags') throw new Error('flags cannot nest inside flags');
  return col.name;
}

function compileKind(kind: SimEventKind): KindCodec {
  const info = EVENT_KINDS[kind];
  const body = sequence(info.columns);
  const compiled = compileWriter(kind, info.columns);
  return {
    kind,
    info,
    write: (w, ev) => compiled(w, ev as unknown as Obj),
    writeGeneric: (w, ev) => body.write(w, ev as unknown as Obj),
    read: body.read,
    skip: body.skip,
    fixed: body.fixed,
  };
}

/** Codecs by kind name. */
export const CODECS = Object.fromEntries(KIND_NAMES.map((k) => [k, compileKind(k)])) as { readonly [K in SimEventKind]: KindCodec };

/** Codecs by on-disk code; undefined for codes this version does not know. */
export const CODEC_BY_CODE: readonly (KindCodec | undefined)[] = KIND_BY_CODE.map((k) => (k ? CODECS[k] : undefined));

/**
 * Kinds with codes below this were in format 1.0. Events of later kinds also
 * write their stream usage to the chunk's `ext` column, so a reader that does
 * not know such a kind can skip it (trace-format.md, "Versioning").
 */
export const BASE_KIND_COUNT = 17;

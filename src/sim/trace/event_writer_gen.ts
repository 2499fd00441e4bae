// Compiles one event kind's column list (src/model/event_kinds.ts) into a
// straight-line JavaScript function that writes an event's arguments, like
// the VM's JIT turns BPF into JS: the recorder calls it for every event, and
// the generic column codecs (event_codec.ts) cost a chain of closure calls
// per field. Same table, same order, same checks and error texts as the
// generic writer; event_writer_gen.test.ts compares their bytes on every kind.

import type { Column } from '../../model/event_kinds';
import type { ArgWriter } from './event_codec';

export type CompiledWriter = (w: ArgWriter, o: Record<string, unknown>) => void;

class Gen {
  readonly consts: unknown[] = [];
  private n = 0;

  /** A fresh local name. */
  local(prefix: string): string {
    return `${prefix}${this.n++}`;
  }

  /** A constant the generated code reads as K[i]. */
  constant(v: unknown): string {
    this.consts.push(v);
    return `K[${this.consts.length - 1}]`;
  }

  columns(cols: readonly Column[], obj: string): string {
    return cols.map((c) => this.column(c, obj)).join('\n');
  }

  column(col: Column, obj: string): string {
    if (col.type === 'flags') return this.flags(col, obj);
    const N = JSON.stringify(col.name);
    const field = `${obj}[${N}]`;
    switch (col.type) {
      case 'int':
        return `w.int(${field}, ${N});`;
      case 'bool':
        return `w.raw(${field} ? 1 : 0);`;
      case 'str':
        return `w.str(${field}, ${N});`;
      case 'json':
        return `w.str(JSON.stringify(${field}), ${N});`;
      case 'enum': {
        const c = this.local('c');
        const msg = JSON.stringify(`unknown ${col.name} `);
        return `const ${c} = ${this.constant(col.values)}.indexOf(${field}); if (${c} < 0) throw new RangeError(${msg} + String(${field})); w.raw(${c});`;
      }
      case 'strs': {
        const l = this.local('l');
        const i = this.local('i');
        return `const ${l} = ${field}; if (!Array.isArray(${l})) throw new TypeError(${JSON.stringify(`${col.name} must be a list`)});
w.raw(${l}.length); for (let ${i} = 0; ${i} < ${l}.length; ${i}++) w.str(${l}[${i}], ${N});`;
      }
      case 'blob': {
        const b = this.local('b');
        return `const ${b} = ${field}; if (!(${b} instanceof Uint8Array)) throw new TypeError(${JSON.stringify(`${col.name} must be bytes`)}); w.raw(${b}.length); w.blob(${b});`;
      }
      case 'struct': {
        const s = this.local('s');
        return `const ${s} = ${field}; if (typeof ${s} !== 'object' || ${s} === null) throw new TypeError(${JSON.stringify(`${col.name} must be an object`)});
{ ${this.columns(col.columns, s)} }`;
      }
      case 'union': {
        const u = this.local('u');
        const c = this.local('c');
        const T = JSON.stringify(col.tag);
        const names = col.variants.map(([name]) => name);
        const cases = col.variants.map(([, cols], k) => `case ${k}: { ${this.columns(cols, u)} break; }`).join('\n');
        return `const ${u} = ${field}; const ${c} = ${this.constant(names)}.indexOf(${u}?.[${T}]);
if (${c} < 0) throw new RangeError(${JSON.stringify(`unknown ${col.name} ${col.tag} `)} + String(${u}?.[${T}]));
w.raw(${c}); switch (${c}) { ${cases} }`;
      }
    }
  }

  private flags(col: Extract<Column, { type: 'flags' }>, obj: string): string {
    const word = this.local('f');
    const tests: string[] = [];
    const bodies: string[] = [];
    col.members.forEach((m, i) => {
      if (m.type === 'bool') {
        tests.push(`if (${obj}[${JSON.stringify(m.name)}]) ${word} |= ${1 << i};`);
        return;
      }
      if (m.column.type === 'flags') throw new Error('flags cannot nest inside flags');
      tests.push(`if (${obj}[${JSON.stringify(m.column.name)}] !== undefined) ${word} |= ${1 << i};`);
      bodies.push(`if (${word} & ${1 << i}) { ${this.column(m.column, obj)} }`);
    });
    return `let ${word} = 0; ${tests.join(' ')} w.raw(${word});\n${bodies.join('\n')}`;
  }
}

/** The writer for one kind's columns. */
export function compileWriter(kind: string, columns: readonly Column[]): CompiledWriter {
  const gen = new Gen();
  const body = gen.columns(columns, 'o');
  const source = `return function write_${kind.replace(/\W/g, '_')}(w, o) {\n${body}\n};`;
  // new Function is the point: V8 compiles each kind's writer as plain, monomorphic code.
  return new Function('K', source)(gen.consts) as CompiledWriter;
}

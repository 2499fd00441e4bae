// Spell BTF types as C, like `bpftool btf dump format c` (simplified: no
// forward-declaration ordering, which a reader of `inspect --btf` does not need).

import type { Btf } from './btf';
import type { BtfType } from './types';

const MAX_DEPTH = 40;
/** Type nodes one spelling may visit: function prototypes can fan out without bound in hostile BTF. */
const MAX_NODES = 2000;

interface Budget {
  left: number;
}

/** C spelling of a type used as an abstract declarator ("int *", "struct foo[4]"). */
export function cName(btf: Btf, id: number): string {
  return declare(btf, id, '', 0, { left: MAX_NODES }).trim();
}

function tagName(t: BtfType): string {
  const anon = t.name === '' ? '<anon>' : t.name;
  switch (t.kind) {
    case 'struct':
      return `struct ${anon}`;
    case 'union':
      return `union ${anon}`;
    case 'enum':
    case 'enum64':
      return `enum ${anon}`;
    case 'fwd':
      return `${t.union ? 'union' : 'struct'} ${anon}`;
    case 'void':
      return 'void';
    default:
      return anon;
  }
}

/** Build a declaration of `inner` (a name or a nested declarator) having type `id`. */
function declare(btf: Btf, id: number, inner: string, depth: number, budget: Budget): string {
  if (depth > MAX_DEPTH || --budget.left < 0) return `/* too deep */ ${inner}`;
  const t = btf.types[id];
  if (t === undefined) return `/* bad type ${id} */ ${inner}`;
  const sep = inner === '' ? '' : ' ';
  switch (t.kind) {
    case 'ptr':
      return declare(btf, t.type, `*${inner}`, depth + 1, budget);
    case 'const':
    case 'volatile':
    case 'restrict':
      return `${t.kind} ${declare(btf, t.type, inner, depth + 1, budget)}`;
    case 'type_tag':
      return declare(btf, t.type, `__attribute__((btf_type_tag("${t.name}"))) ${inner}`, depth + 1, budget);
    case 'array': {
      const wrapped = inner.startsWith('*') ? `(${inner})` : inner;
      return declare(btf, t.type, `${wrapped}[${t.nelems}]`, depth + 1, budget);
    }
    case 'func_proto': {
      const params = t.params.length === 0 ? 'void' : t.params.map((p) => (p.type === 0 ? '...' : declare(btf, p.type, p.name, depth + 1, budget))).join(', ');
      const wrapped = inner.startsWith('*') ? `(${inner})` : inner;
      return declare(btf, t.type, `${wrapped}(${params})`, depth + 1, budget);
    }
    case 'func':
    case 'var':
      return declare(btf, t.type, inner, depth + 1, budget);
    default:
      return `${tagName(t)}${sep}${inner}`;
  }
}

function body(btf: Btf, t: BtfType, indent: string, depth: number): string {
  if (t.kind === 'struct' || t.kind === 'union') {
    const lines = t.members.map((m) => {
      const mt = btf.types[m.type];
      const inline = mt && (mt.kind === 'struct' || mt.kind === 'union') && mt.name === '' && depth < 4 && mt.members.length <= 64;
      const decl = inline ? `${mt.kind} ${body(btf, mt, indent + '\t', depth + 1)} ${m.name}` : declare(btf, m.type, m.name, 0, { left: MAX_NODES });
      const bits = m.bitfieldSize ? `: ${m.bitfieldSize}` : '';
      return `${indent}\t${decl}${bits};`;
    });
    return `{\n${lines.join('\n')}\n${indent}}`;
  }
  if (t.kind === 'enum' || t.kind === 'enum64') {
    return `{\n${t.values.map((v) => `${indent}\t${v.name} = ${v.value},`).join('\n')}\n${indent}}`;
  }
  return '';
}

export function dumpC(btf: Btf): string {
  const out: string[] = [];
  for (const t of btf.types) {
    switch (t.kind) {
      case 'struct':
      case 'union':
      case 'enum':
      case 'enum64':
        if (t.name !== '' || t.kind.startsWith('enum')) out.push(`${tagName(t)} ${body(btf, t, '', 0)};`);
        break;
      case 'fwd':
        out.push(`${tagName(t)};`);
        break;
      case 'typedef':
        out.push(`typedef ${declare(btf, t.type, t.name, 0, { left: MAX_NODES })};`);
        break;
      case 'func': {
        const linkage = t.linkage === 0 ? 'static ' : t.linkage === 2 ? 'extern ' : '';
        out.push(`${linkage}${declare(btf, t.type, t.name, 0, { left: MAX_NODES })};`);
        break;
      }
      case 'var': {
        const linkage = t.linkage === 0 ? 'static ' : t.linkage === 2 ? 'extern ' : '';
        out.push(`${linkage}${declare(btf, t.type, t.name, 0, { left: MAX_NODES })};`);
        break;
      }
      case 'datasec':
        out.push(`/* SEC("${t.name}") size ${t.size}: ${t.vars.map((v) => `${btf.types[v.type]?.name ?? '?'}@${v.offset}`).join(', ')} */`);
        break;
      case 'decl_tag':
        out.push(`/* decl_tag "${t.name}" on [${t.type}]${t.componentIdx >= 0 ? ` member ${t.componentIdx}` : ''} */`);
        break;
      default:
        break;
    }
  }
  return out.join('\n\n') + '\n';
}

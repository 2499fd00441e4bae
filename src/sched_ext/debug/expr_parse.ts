// The debugger's expression language, parsed: a small subset of C over
// registers (r0..r10), the op's typed arguments, BTF struct fields and
// enum constants — `p->pid == 42`, `enq_flags & SCX_ENQ_WAKEUP`,
// `p->scx.dsq_vtime`, `*(u64 *)(r10 - 8)`, `(struct node *)r6`.
// Precedence and associativity follow C (no assignment, no side effects).

export interface TypeName {
  /** 'struct task_struct', 'u64', 'int', 'unsigned long long'. */
  base: string;
  /** Number of `*` after the base. */
  ptr: number;
}

export type Expr =
  | { k: 'num'; v: bigint }
  | { k: 'id'; name: string }
  | { k: 'member'; obj: Expr; name: string; arrow: boolean }
  | { k: 'index'; obj: Expr; index: Expr }
  | { k: 'unary'; op: '-' | '!' | '~' | '*' | '&' | '+'; e: Expr }
  | { k: 'binary'; op: BinaryOp; l: Expr; r: Expr }
  | { k: 'cast'; type: TypeName; e: Expr };

export type BinaryOp = '*' | '/' | '%' | '+' | '-' | '<<' | '>>' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&' | '^' | '|' | '&&' | '||';

/** A syntax error: `at` is the character offset in the expression text. */
export class ExprSyntaxError extends Error {
  constructor(message: string, readonly at: number) {
    super(message);
    this.name = 'ExprSyntaxError';
  }
}

interface Token {
  t: 'num' | 'id' | 'punct' | 'end';
  s: string;
  at: number;
}

const PUNCT = ['->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '.', '[', ']', '(', ')', '*', '&', '+', '-', '~', '!', '/', '%', '<', '>', '^', '|'];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(0x[0-9a-fA-F]+|0b[01]+|\d+)([uUlL]*)/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', s: num[1]!, at: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', s: id[0], at: i });
      i += id[0].length;
      continue;
    }
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (p === undefined) throw new ExprSyntaxError(`unexpected character '${c}' at column ${i + 1}`, i);
    out.push({ t: 'punct', s: p, at: i });
    i += p.length;
  }
  out.push({ t: 'end', s: '', at: src.length });
  return out;
}

/** Binary operators by C precedence, loosest first. */
const LEVELS: BinaryOp[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

/** Type names a cast may start with besides struct/union/enum. */
const BUILTIN_TYPES = new Set([
  'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', '__u8', '__u16', '__u32', '__u64', '__s8', '__s16', '__s32', '__s64',
  'char', 'short', 'int', 'long', 'unsigned', 'signed', 'bool', '_Bool', 'void',
]);

export interface ParseOptions {
  /** Whether an identifier names a type (typedefs of the program's BTF), so `(name)x` is a cast. */
  isTypeName?(name: string): boolean;
}

export function parseExpr(src: string, opts: ParseOptions = {}): Expr {
  const toks = tokenize(src);
  let pos = 0;
  const peek = (): Token => toks[pos]!;
  const next = (): Token => toks[pos++]!;
  const isPunct = (s: string, tok: Token = peek()): boolean => tok.t === 'punct' && tok.s === s;
  const expect = (s: string): void => {
    const tok = next();
    if (tok.t !== 'punct' || tok.s !== s) throw new ExprSyntaxError(`expected '${s}' at column ${tok.at + 1}${tok.t === 'end' ? ' (end of expression)' : `, found '${tok.s}'`}`, tok.at);
  };
  const isTypeStart = (tok: Token): boolean =>
    tok.t === 'id' && (tok.s === 'struct' || tok.s === 'union' || tok.s === 'enum' || tok.s === 'const' || tok.s === 'volatile' || BUILTIN_TYPES.has(tok.s) || (opts.isTypeName?.(tok.s) ?? false));

  function typeName(): TypeName {
    const words: string[] = [];
    while (peek().t === 'id') {
      const w = next().s;
      if (w === 'const' || w === 'volatile') continue;
      words.push(w);
      if (w === 'struct' || w === 'union' || w === 'enum') {
        const tag = next();
        if (tag.t !== 'id') throw new ExprSyntaxError(`expected a ${w} name at column ${tag.at + 1}`, tag.at);
        words.push(tag.s);
        break;
      }
      if (!BUILTIN_TYPES.has(w)) break; // a typedef name stands alone
    }
    let ptr = 0;
    while (isPunct('*')) {
      next();
      ptr++;
    }
    return { base: words.join(' '), ptr };
  }

  function primary(): Expr {
    const tok = next();
    if (tok.t === 'num') {
      const s = tok.s;
      return { k: 'num', v: s.startsWith('0b') ? BigInt(s) : BigInt(s) };
    }
    if (tok.t === 'id') return { k: 'id', name: tok.s };
    if (tok.t === 'punct' && tok.s === '(') {
      const e = binary(0);
      expect(')');
      return e;
    }
    throw new ExprSyntaxError(tok.t === 'end' ? 'the expression ends too early' : `unexpected '${tok.s}' at column ${tok.at + 1}`, tok.at);
  }

  function postfix(): Expr {
    let e = primary();
    for (;;) {
      const tok = peek();
      if (isPunct('.', tok) || isPunct('->', tok)) {
        next();
        const name = next();
        if (name.t !== 'id') throw new ExprSyntaxError(`expected a field name after '${tok.s}' at column ${name.at + 1}`, name.at);
        e = { k: 'member', obj: e, name: name.s, arrow: tok.s === '->' };
      } else if (isPunct('[', tok)) {
        next();
        const index = binary(0);
        expect(']');
        e = { k: 'index', obj: e, index };
      } else {
        return e;
      }
    }
  }

  function unary(): Expr {
    const tok = peek();
    if (tok.t === 'punct' && (tok.s === '-' || tok.s === '!' || tok.s === '~' || tok.s === '*' || tok.s === '&' || tok.s === '+')) {
      next();
      return { k: 'unary', op: tok.s, e: unary() };
    }
    if (isPunct('(', tok) && isTypeStart(toks[pos + 1]!)) {
      next();
      const type = typeName();
      expect(')');
      return { k: 'cast', type, e: unary() };
    }
    return postfix();
  }

  function binary(level: number): Expr {
    if (level >= LEVELS.length) return unary();
    let l = binary(level + 1);
    for (;;) {
      const tok = peek();
      const op = tok.t === 'punct' ? LEVELS[level]!.find((o) => o === tok.s) : undefined;
      if (op === undefined) return l;
      next();
      l = { k: 'binary', op, l, r: binary(level + 1) };
    }
  }

  const e = binary(0);
  const rest = peek();
  if (rest.t !== 'end') throw new ExprSyntaxError(`unexpected '${rest.s}' at column ${rest.at + 1}`, rest.at);
  return e;
}

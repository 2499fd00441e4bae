// ESLint rule `layers/allowed-imports`: the architecture's import allowlist.
// Every relative import is resolved to the folder it lands in under src/, and
// that folder must be one the importing folder's layer may use (see
// docs/architecture.md). Imports point downward only:
//
//   base → model → protocol            shared vocabularies, usable by all
//   sched_ext (elf, btf → the rest)    BPF side; knows nothing of the simulator
//   sim                                the simulated kernel
//   api                                the library (open, run, query)
//   main, renderer                     front doors; the renderer sees only
//                                      base, model and protocol
//
// Tests (`*.test.ts`) and `testing/` helpers follow the same rules: a test
// that needs an upper layer lives in that layer.
import { dirname, relative, resolve, sep } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..', 'src');

/** Layer of a path under src/, most specific first. */
const LAYERS = [
  ['sched_ext/base', 'sx_base'],
  ['sched_ext/elf', 'sx_elf'],
  ['sched_ext/btf', 'sx_btf'],
  ['sched_ext', 'sched_ext'],
  ['base', 'base'],
  ['model', 'model'],
  ['protocol', 'protocol'],
  ['sim', 'sim'],
  ['api', 'api'],
  ['main', 'main'],
  ['renderer', 'renderer'],
];

const SHARED = ['base', 'model'];
const SX_LOW = [...SHARED, 'sx_base', 'sx_elf', 'sx_btf'];
const SX = [...SX_LOW, 'sched_ext'];

/** Which layers each layer may import (itself included). */
export const ALLOWED = {
  base: ['base'],
  model: SHARED,
  protocol: [...SHARED, 'protocol'],
  sx_base: [...SHARED, 'sx_base'],
  sx_elf: [...SHARED, 'sx_base', 'sx_elf'],
  sx_btf: SX_LOW,
  sched_ext: SX,
  sim: [...SX, 'sim'],
  api: [...SX, 'sim', 'protocol', 'api'],
  main: [...SX, 'sim', 'protocol', 'api', 'main'],
  renderer: [...SHARED, 'protocol', 'renderer'],
};

function layerOf(absPath) {
  const rel = relative(ROOT, absPath).split(sep).join('/');
  if (rel.startsWith('..')) return null;
  for (const [prefix, layer] of LAYERS) if (rel === prefix || rel.startsWith(prefix + '/')) return layer;
  return null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports must point down the layer allowlist (docs/architecture.md)' },
    schema: [],
    messages: { upward: "{{from}} may not import {{to}} ('{{spec}}'): {{from}} may use only {{allowed}}. Move the shared part down (src/base, src/model, src/protocol)." },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const from = layerOf(file);
    if (!from) return {};
    function check(node, spec) {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = layerOf(resolve(dirname(file), spec));
      if (!to || ALLOWED[from].includes(to)) return;
      context.report({ node, messageId: 'upward', data: { from, to, spec, allowed: ALLOWED[from].join(', ') } });
    }
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};

export default { rules: { 'allowed-imports': rule } };

import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openObject } from './index';
import { REPO_ROOT } from './testing/fixtures';
import { simKernel } from './testing/kernel';

// Every example scheduler under assets/schedulers loads, and the ops it
// implements are exactly those its C source assigns in the struct_ops
// initializer (`.enqueue = (void *)prog,`), read here straight from the source.
function examples(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return examples(p);
    return f.endsWith('.bpf.o') && existsSync(p.replace(/\.o$/, '.c')) ? [p] : [];
  });
}

function opsInSource(src: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const block = /SEC\("\.struct_ops(?:\.link)?"\)\s*struct\s+\w+\s+(\w+)\s*=\s*\{([^}]*)\}/g;
  for (const m of src.matchAll(block)) {
    const ops: Record<string, string> = {};
    for (const a of m[2]!.matchAll(/\.(\w+)\s*=\s*\(void \*\)\s*(\w+)/g)) ops[a[1]!] = a[2]!;
    out[m[1]!] = ops;
  }
  return out;
}

const objs = examples(join(REPO_ROOT, 'assets/schedulers'));

describe('example schedulers', () => {
  it('there are example objects to check', () => {
    expect(objs.length).toBeGreaterThanOrEqual(4);
  });

  it.each(objs.map((p) => [p.slice(REPO_ROOT.length + 1), p]))('%s loads and binds the ops its source assigns', (_, path) => {
    const obj = openObject(new Uint8Array(readFileSync(path)), { file: path, kernel: simKernel() });
    const expected = opsInSource(readFileSync(path.replace(/\.o$/, '.c'), 'utf8'));
    const got = Object.fromEntries(obj.structOps.map((s) => [s.name, s.ops]));
    expect(obj.structOps.length).toBeGreaterThan(0);
    // sources that build their ops table through a macro have no literal initializer to compare with
    if (Object.keys(expected).length > 0) expect(got).toEqual(expected);
    else for (const s of obj.structOps) expect(Object.keys(s.ops).length).toBeGreaterThan(0);
    expect(obj.coreRelos.filter((r) => r.poisoned)).toEqual([]);
  });
});

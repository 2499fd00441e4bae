// Every ```js example in docs/api.md is a complete `node --test` file that
// imports 'scxray' by its package name: write each under test-results/ (in
// the package, so the name resolves to the package's own `exports`) and run
// it with node's test runner from the repository root.

import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = new URL('../../', import.meta.url).pathname;
const DOC = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
const BLOCKS = [...DOC.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/api.md examples', () => {
  it('has runnable examples', () => {
    expect(BLOCKS.length).toBeGreaterThanOrEqual(3);
    for (const b of BLOCKS) {
      expect(b).toContain("from 'scxray'");
      expect(b).toMatch(/\btest\('/);
    }
  });

  BLOCKS.forEach((code, i) => {
    it(`example ${i + 1} passes under node --test`, () => {
      const dir = join(ROOT, 'test-results', 'api-doc');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `example-${i + 1}.test.mjs`);
      writeFileSync(file, code);
      const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', file], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
      // the example's own test ran and passed (not just the file)
      const name = /\btest\('([^']+)'/.exec(code)![1]!;
      expect(r.stdout).toMatch(new RegExp(`^\\s*ok \\d+ - ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      expect(r.stdout).toMatch(/^# fail 0$/m);
      expect(r.status).toBe(0);
    }, 300_000);
  });
});

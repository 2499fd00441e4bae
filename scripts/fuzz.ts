// Mutation fuzzing of the loader beyond what CI runs:
//   npm run fuzz -- [--cases N] [--fixture NAME] [--seed S] [--start S] [--isa N]
// Mutates each loader fixture (test/bpf/loader/*.bpf.c, compiled with
// clang-19) and every prebuilt object under assets/ and /work/shared/bench,
// and checks that openObject either loads or throws a LoadError. Prints the
// seed of every failure so it can be replayed with --seed. Then runs --isa N
// (default 20000) random programs through the kernel and both engines.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureBytes, FIXTURE_SRC, REPO_ROOT } from '../src/sched_ext/loader/testing/fixtures';
import { simKernel } from '../src/sched_ext/loader/testing/kernel';
import { fuzzCase } from '../src/sched_ext/loader/testing/mutate';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function objectsUnder(dir: string, depth = 0): string[] {
  if (!existsSync(dir) || depth > 4) return [];
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...objectsUnder(p, depth + 1));
    else if (f.endsWith('.bpf.o')) out.push(p);
  }
  return out;
}

const cases = Number(arg('cases') ?? 20000);
const start = Number(arg('start') ?? 0);
const only = arg('fixture');
const seed = arg('seed');
const kernel = simKernel();

const inputs: [string, Uint8Array][] = [];
for (const f of readdirSync(FIXTURE_SRC)) if (f.endsWith('.bpf.c')) inputs.push([f.replace('.bpf.c', ''), fixtureBytes(f.replace('.bpf.c', ''))]);
for (const p of [...objectsUnder(join(REPO_ROOT, 'assets/schedulers')), ...objectsUnder('/work/shared/bench/progs')]) inputs.push([p, new Uint8Array(readFileSync(p))]);

let failures = 0;
let total = 0;
for (const [name, bytes] of inputs) {
  if (only !== undefined && !name.includes(only)) continue;
  const seeds = seed !== undefined ? [Number(seed)] : Array.from({ length: cases }, (_, i) => start + i);
  const seen = { loaded: 0, load_error: 0 };
  for (const s of seeds) {
    try {
      seen[fuzzCase(bytes, s, kernel, name)]++;
    } catch (e) {
      failures++;
      console.error(e instanceof Error ? e.message : e);
    }
    total++;
  }
  console.log(`${name}: ${seeds.length} cases, ${seen.loaded} loaded, ${seen.load_error} LoadError`);
}
console.log(`${total} cases, ${failures} failures`);

// The ISA against this machine's kernel (test/kernel/isa_diff.test.ts), at a
// larger count than CI's share: --isa N programs (0 to skip).
const isa = Number(arg('isa') ?? 20000);
if (isa > 0) {
  const vitest = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'test/kernel/isa_diff.test.ts'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, SCXRAY_ISA_DIFF: String(isa) },
  });
  if (vitest.status !== 0) failures++;
}
process.exitCode = failures === 0 ? 0 : 1;

#!/usr/bin/env node
// Compiles the BPF C sources of the repository with clang-19.
//
//   assets/kernel/*.bpf.c      -> next to the source (committed)
//   assets/schedulers/*.bpf.c  -> next to the source (committed)
//   test/bpf/**/*.bpf.c        -> test/bpf/build/<same relative path>.bpf.o (gitignored)
//
// Usage: node scripts/build-bpf.mjs [--check] [--tests-only] [--force] [FILE.bpf.c ...]
//   --check       rebuild the committed asset objects into a temp dir and fail
//                 if any differs from the committed bytes (CI guard)
//   --tests-only  build only test/bpf/**
//   --force       rebuild even when the output is newer than its inputs
//
// Objects are built reproducibly (debug paths relative to the repository
// root), so --check can compare bytes. clang-19 is required: older clang
// drops the btf_type_tag attributes that mark __kptr fields.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { CLANG, INCLUDE_DIR, ROOT, TEST_BUILD_DIR, TEST_DIR, compileBpf, testOutput, upToDate, walk } from './bpf_compile.mjs';

const ASSET_DIRS = ['assets/kernel', 'assets/schedulers'];

const isSource = (p) => p.endsWith('.bpf.c');

/** Every header under assets/include and next to the sources: a change to any of them rebuilds everything. */
function headerMtime() {
  const headers = [
    ...walk(INCLUDE_DIR, (p) => p.endsWith('.h')),
    ...ASSET_DIRS.flatMap((d) => walk(d, (p) => p.endsWith('.h'))),
    ...walk(TEST_DIR, (p) => p.endsWith('.h')),
  ];
  return Math.max(0, ...headers.map((h) => statSync(join(ROOT, h)).mtimeMs));
}

function assetJobs() {
  return ASSET_DIRS.flatMap((d) => walk(d, isSource)).map((source) => ({
    source,
    output: source.replace(/\.bpf\.c$/, '.bpf.o'),
  }));
}

function testJobs() {
  return walk(TEST_DIR, isSource).map((source) => ({ source, output: testOutput(source) }));
}

function requireClang() {
  const probe = spawnSync(CLANG, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    console.error(
      `build-bpf: ${CLANG} not found. Install clang-19 (Debian/Ubuntu: apt-get install clang-19 llvm-19); ` +
        'plain clang older than 19 drops kptr type tags. Set SCXRAY_CLANG to use another binary.',
    );
    process.exit(127);
  }
}

function compile(source, outputAbs) {
  return compileBpf(source, outputAbs);
}

function build(jobs, force) {
  const headersAt = headerMtime();
  let failed = 0;
  for (const job of jobs) {
    if (!force && upToDate(job.source, join(ROOT, job.output), headersAt)) {
      console.log(`up-to-date ${job.output}`);
      continue;
    }
    const error = compile(job.source, join(ROOT, job.output));
    if (error) {
      failed++;
      console.error(`FAILED     ${job.source}\n${error}`);
    } else {
      console.log(`built      ${job.output}`);
    }
  }
  return failed;
}

function check(jobs) {
  const scratch = mkdtempSync(join(tmpdir(), 'scxray-bpf-check-'));
  let stale = 0;
  try {
    for (const [i, job] of jobs.entries()) {
      const fresh = join(scratch, `${i}.bpf.o`);
      const error = compile(job.source, fresh);
      if (error) {
        stale++;
        console.error(`FAILED     ${job.source}\n${error}`);
        continue;
      }
      const committed = join(ROOT, job.output);
      if (!existsSync(committed)) {
        stale++;
        console.error(`MISSING    ${job.output} (run npm run build:bpf and commit it)`);
      } else if (!readFileSync(committed).equals(readFileSync(fresh))) {
        stale++;
        console.error(`STALE      ${job.output} differs from a fresh build of ${job.source} (run npm run build:bpf and commit it)`);
      } else {
        console.log(`ok         ${job.output}`);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return stale;
}

function main(argv) {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const files = argv.filter((a) => !a.startsWith('--'));
  for (const f of flags) {
    if (!['--check', '--tests-only', '--force'].includes(f)) {
      console.error(`build-bpf: unknown option ${f}`);
      return 2;
    }
  }
  requireClang();
  let jobs = flags.has('--tests-only') ? testJobs() : [...assetJobs(), ...testJobs()];
  if (files.length > 0) {
    const wanted = new Set(files.map((f) => relative(ROOT, resolve(f)).split(sep).join('/')));
    jobs = jobs.filter((j) => wanted.has(j.source));
    if (jobs.length !== wanted.size) {
      console.error(`build-bpf: not a known BPF source: ${[...wanted].filter((w) => !jobs.some((j) => j.source === w)).join(', ')}`);
      return 2;
    }
  }
  if (flags.has('--check')) {
    return check(jobs.filter((j) => !j.output.startsWith(`${TEST_BUILD_DIR}/`))) > 0 ? 1 : 0;
  }
  return build(jobs, flags.has('--force')) > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));

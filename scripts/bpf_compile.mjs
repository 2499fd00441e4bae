// The one way this repository compiles BPF C: clang-19 flags, staleness and
// where objects go. Used by `npm run build:bpf` (scripts/build-bpf.mjs) and by
// tests that need a fixture object (test/support/bpf.ts), so a fixture built
// by either is the same object. Dependency-free (runs before `npm ci`).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLANG = process.env.SCXRAY_CLANG ?? 'clang-19';
export const INCLUDE_DIR = 'assets/include';
export const TEST_DIR = 'test/bpf';
export const TEST_BUILD_DIR = 'test/bpf/build';

/**
 * clang's arguments for one source (paths relative to ROOT or absolute).
 * `debug: false` leaves out -g (no .BTF/.BTF.ext); `extra` goes before -c.
 */
export function clangFlags(source, output, { debug = true, extra = [] } = {}) {
  return [
    ...(debug ? ['-g'] : []), '-O2', '-target', 'bpf', '-mcpu=v3',
    '-I', INCLUDE_DIR,
    // Relative paths in DWARF and BTF.ext: the same bytes from any checkout.
    '-fdebug-compilation-dir=.',
    `-ffile-prefix-map=${ROOT}${sep}=`,
    ...extra,
    '-c', source, '-o', output,
  ];
}

/** Compile; returns clang's stderr on failure, undefined on success. Writes through a temp file so readers never see half an object. */
export function compileBpf(source, outputAbs, opts = {}) {
  mkdirSync(dirname(outputAbs), { recursive: true });
  const tmp = `${outputAbs}.${process.pid}.tmp`;
  const run = spawnSync(CLANG, clangFlags(source, tmp, opts), { cwd: ROOT, encoding: 'utf8' });
  if (run.error) return String(run.error);
  if (run.status !== 0) return run.stderr || `${CLANG} exited with ${run.status}`;
  renameSync(tmp, outputAbs);
  if (run.stderr.trim()) process.stderr.write(run.stderr);
  return undefined;
}

/** Every file under `dir` (relative to ROOT) that `predicate` accepts, sorted, skipping the test build folder. */
export function walk(dir, predicate, out = []) {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return out;
  for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (rel !== TEST_BUILD_DIR) walk(rel, predicate, out);
    } else if (predicate(rel)) {
      out.push(rel);
    }
  }
  return out;
}

/** The newest mtime of the shared headers (assets/include): a change to any of them rebuilds everything. */
export function sharedHeaderMtime() {
  return Math.max(0, ...walk(INCLUDE_DIR, (p) => p.endsWith('.h')).map((h) => statSync(join(ROOT, h)).mtimeMs));
}

/** The source and the files it pulls in with `#include "..."` (relative to it), transitively. */
export function localSources(source, seen = new Set()) {
  if (seen.has(source) || !existsSync(join(ROOT, source))) return seen;
  seen.add(source);
  const text = readFileSync(join(ROOT, source), 'utf8');
  for (const m of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
    localSources(relative(ROOT, join(ROOT, dirname(source), m[1])).split(sep).join('/'), seen);
  }
  return seen;
}

/** Whether `outputAbs` is newer than its source, the sources it includes and the shared headers (pass `headersAt` to reuse one scan). */
export function upToDate(source, outputAbs, headersAt = sharedHeaderMtime()) {
  if (!existsSync(outputAbs)) return false;
  const builtAt = statSync(outputAbs).mtimeMs;
  if (builtAt < headersAt) return false;
  return [...localSources(source)].every((f) => builtAt >= statSync(join(ROOT, f)).mtimeMs);
}

/** Where a test source (test/bpf/<path>.bpf.c) is built: test/bpf/build/<path>.bpf.o (`.nobtf.bpf.o` without -g). */
export function testOutput(source, { debug = true } = {}) {
  const rel = relative(TEST_DIR, source).split(sep).join('/');
  return `${TEST_BUILD_DIR}/${rel.replace(/\.bpf\.c$/, debug ? '.bpf.o' : '.nobtf.bpf.o')}`;
}

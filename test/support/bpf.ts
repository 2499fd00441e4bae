// Test-only: the compiled object of a BPF C fixture, built on demand with the
// same clang call as `npm run build:bpf` (scripts/bpf_compile.mjs) and reused
// while it is newer than its sources and headers.

import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { ROOT, compileBpf, testOutput, upToDate, type CompileOptions } from '../../scripts/bpf_compile.mjs';

export const REPO_ROOT = ROOT;

/**
 * Path of the object for a test fixture source (`test/bpf/<group>/<name>.bpf.c`,
 * relative to the repository or absolute), compiling it if stale. Objects go to
 * test/bpf/build/ (`.nobtf.bpf.o` for `debug: false`). Throws with clang's
 * message if it does not compile.
 */
export function bpfFixturePath(source: string, opts: CompileOptions = {}): string {
  const rel = isAbsolute(source) ? relative(ROOT, source) : source;
  const out = join(ROOT, testOutput(rel, opts));
  if (!opts.extra?.length && upToDate(rel, out)) return out;
  const error = compileBpf(rel, out, opts);
  if (error) throw new Error(`clang could not build ${rel}:\n${error}`);
  return out;
}

export function bpfFixtureBytes(source: string, opts: CompileOptions = {}): Uint8Array {
  return new Uint8Array(readFileSync(bpfFixturePath(source, opts)));
}

/**
 * Compile a generated source (written by a test into test/bpf/build/…) to the
 * object beside it, always; returns the object's bytes.
 */
export function compileGenerated(sourceAbs: string, opts: CompileOptions = {}): Uint8Array {
  const out = sourceAbs.replace(/\.bpf\.c$/, '.bpf.o');
  const error = compileBpf(relative(ROOT, sourceAbs), out, opts);
  if (error) throw new Error(`clang could not build ${relative(ROOT, sourceAbs)}:\n${error}`);
  return new Uint8Array(readFileSync(out));
}

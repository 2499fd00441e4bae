// A setup module: the scheduler's userspace half, written by the user in
// JavaScript or TypeScript (docs/userspace.md). Loading one reads the file,
// hashes it (the trace records the hash), and compiles it with esbuild to a
// CommonJS function body plus a source map, so errors point at the user's
// own lines. Nothing runs here; see sandbox.ts.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { transformSync, type Loader } from 'esbuild';

export class SetupError extends Error {
  constructor(
    message: string,
    /** The setup module's file name and the line at fault, when known. */
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'SetupError';
  }
}

export interface SetupModule {
  /** The file's base name, used in messages and in the trace. */
  file: string;
  sha256: string;
  /** CommonJS code: a function body of (exports, module). */
  code: string;
  /** esbuild's source map of `code` (JSON). */
  sourceMap: string;
}

const LOADERS: Record<string, Loader> = { '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.ts': 'ts', '.mts': 'ts', '.cts': 'ts' };

/** Compile setup source text; `file` names it (its extension picks JavaScript or TypeScript). */
export function compileSetupModule(source: string, file: string): SetupModule {
  const loader = LOADERS[extname(file).toLowerCase()];
  if (loader === undefined) throw new SetupError(`${file}: a setup module must be .js, .mjs, .ts or .mts`, file);
  let out;
  try {
    out = transformSync(source, { loader, format: 'cjs', sourcemap: 'external', sourcefile: file, target: 'es2022', logLevel: 'silent' });
  } catch (e) {
    const first = (e as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors?.[0];
    if (first !== undefined) {
      const line = first.location?.line;
      throw new SetupError(`${file}${line !== undefined ? `:${line}` : ''}: ${first.text}`, file, line);
    }
    throw new SetupError(`${file}: ${(e as Error).message}`, file);
  }
  return { file, sha256: createHash('sha256').update(source).digest('hex'), code: out.code, sourceMap: out.map };
}

/** Read and compile the setup module at `path` (what `scxray run --setup` and the library API take). */
export function loadSetupModule(path: string): SetupModule {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SetupError(`cannot read setup module ${path}: ${(e as Error).message}`, basename(path));
  }
  return compileSetupModule(source, basename(path));
}

// Types for scripts/bpf_compile.mjs (plain JS so it runs before npm ci).
export interface CompileOptions {
  /** -g: emit .BTF and .BTF.ext (default true). */
  debug?: boolean;
  /** Extra clang arguments (e.g. -Werror). */
  extra?: string[];
}
export const ROOT: string;
export const CLANG: string;
export const INCLUDE_DIR: string;
export const TEST_DIR: string;
export const TEST_BUILD_DIR: string;
export function clangFlags(source: string, output: string, opts?: CompileOptions): string[];
export function compileBpf(source: string, outputAbs: string, opts?: CompileOptions): string | undefined;
export function walk(dir: string, predicate: (p: string) => boolean, out?: string[]): string[];
export function sharedHeaderMtime(): number;
export function localSources(source: string, seen?: Set<string>): Set<string>;
export function upToDate(source: string, outputAbs: string, headersAt?: number): boolean;
export function testOutput(source: string, opts?: { debug?: boolean }): string;

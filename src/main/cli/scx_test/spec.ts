// Spec files for `scxray test` (docs/testing.md): `*.scx.mjs` / `*.scx.ts`
// modules whose default export is a spec or a list of specs, or
// `*.scx.yaml` / `*.scx.yml` documents of the same shape (without custom
// predicates). A spec names the object, a matrix of workloads, seeds, CPU
// counts and kernel versions, and expectations; each matrix cell is one
// test case.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import type { RunResult } from '../../../api/index';

/** Thrown for a spec that cannot be read or does not fit the schema; names the file and the field. */
export class SpecError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'SpecError';
  }
}

const TIME_RE = /^\s*\d+(\.\d+)?\s*(ns|us|µs|ms|s)?\s*$/;
const Time = z.union([z.number().nonnegative(), z.string().regex(TIME_RE, 'a time such as "5ms", "200us", "1s"')]);

/** What a custom check returns: true/undefined pass; false or a message fail, optionally with the instant to look at. */
export type CheckOutcome = boolean | string | void | undefined | { ok: boolean; message?: string; at?: number };
export type CheckFn = (run: RunResult) => CheckOutcome | Promise<CheckOutcome>;
const Check = z.custom<CheckFn>((v) => typeof v === 'function', 'a function (run) => true | false | "why it failed"');

const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);

export const ExpectSpec = z.object({
  /** The scheduler must not be ejected (error exit, stall, fault, hotplug without ops.cpu_online, …). */
  noEjection: z.boolean().optional(),
  /** "none", or exactly these diagnostic kinds (each present, no other kind). */
  diagnostics: z.union([
    z.literal('none'),
    z.array(z.object({ kind: z.string(), program: z.string().optional() }).strict()),
  ]).optional(),
  /** Wakeup latency percentiles of a workload task group under a bound. */
  wakeupLatency: oneOrMany(z.object({
    group: z.string(),
    p99Below: Time.optional(),
    p50Below: Time.optional(),
    maxBelow: Time.optional(),
  }).strict()).optional(),
  /** Runtime share within `tolerance` of weight share (by task weight or cgroup cpu.weight) among CPU-bound tasks. */
  fairness: oneOrMany(z.object({
    by: z.enum(['weight', 'cgroup']).default('weight'),
    tolerance: z.number().positive(),
  }).strict()).optional(),
  /** Mean CPU utilisation (or each CPU's, with each: true) at least `above` (0..1). */
  utilisation: z.object({ above: z.number().min(0).max(1), each: z.boolean().default(false) }).strict().optional(),
  /** Custom predicates over the run (its events, tasks, state at an instant): one function or several by name. */
  check: z.union([Check, z.record(z.string(), Check)]).optional(),
}).strict();
export type Expectations = z.infer<typeof ExpectSpec>;

export const TestSpec = z.object({
  name: z.string().min(1).optional(),
  /** The scheduler object, relative to the spec file. */
  object: z.string().min(1),
  sets: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])).optional(),
  resize: z.record(z.string(), z.number().int().positive()).optional(),
  engine: z.enum(['jit', 'interp']).optional(),
  /** The scheduler's userspace half, a setup module relative to the spec (docs/userspace.md). */
  setup: z.string().min(1).optional(),
  setupBudgetMs: z.number().int().positive().optional(),
  duration: Time.default('1s'),
  matrix: z.object({
    /** Preset names, workload file paths (relative to the spec), or workload objects. */
    workloads: z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).min(1),
    seeds: z.array(z.number().int().nonnegative()).min(1).default([1]),
    cpus: z.array(z.number().int().min(1).max(256)).min(1).optional(),
    kernels: z.array(z.string()).min(1).optional(),
  }).strict(),
  expect: ExpectSpec,
}).strict();
export type TestSpecT = z.infer<typeof TestSpec>;

export interface LoadedSpec {
  file: string;
  name: string;
  /** Absolute path of the object. */
  object: string;
  /** Absolute path of the setup module, if any. */
  setup?: string;
  spec: TestSpecT;
}

export interface TestCase {
  spec: LoadedSpec;
  /** Workload as given (a preset name, an absolute file path, or an object). */
  workload: string | Record<string, unknown>;
  workloadName: string;
  seed: number;
  cpus?: number;
  kernel?: string;
  /** "workload=cpu-hogs seed=1 cpus=4 kernel=6.12.0". */
  label: string;
}

const SPEC_RE = /\.scx\.(mjs|js|ts|mts|yaml|yml)$/;

/** Spec files under the given paths (files as named; directories searched, skipping node_modules and dot-directories), sorted. */
export function findSpecFiles(paths: readonly string[]): string[] {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (SPEC_RE.test(name)) out.add(resolve(p));
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new SpecError(p, 'no such file or directory');
    }
    if (st.isDirectory()) walk(p);
    else out.add(resolve(p));
  }
  return [...out].sort();
}

function zodMessage(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

export async function loadSpecFile(file: string): Promise<LoadedSpec[]> {
  let raw: unknown;
  if (/\.ya?ml$/.test(file)) {
    try {
      raw = parseYaml(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new SpecError(file, `not valid YAML: ${(e as Error).message}`);
    }
  } else {
    try {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
      raw = mod.default;
    } catch (e) {
      throw new SpecError(file, `cannot import: ${(e as Error).message}`);
    }
    if (raw === undefined) throw new SpecError(file, 'has no default export (export default { object, matrix, expect })');
  }
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new SpecError(file, 'holds no spec');
  return list.map((item, i) => {
    const r = TestSpec.safeParse(item);
    const where = list.length > 1 ? `spec ${i}: ` : '';
    if (!r.success) throw new SpecError(file, where + zodMessage(r.error));
    const base = basename(file).replace(SPEC_RE, '');
    return {
      file,
      name: r.data.name ?? (list.length > 1 ? `${base}#${i}` : base),
      object: isAbsolute(r.data.object) ? r.data.object : resolve(dirname(file), r.data.object),
      ...(r.data.setup ? { setup: resolve(dirname(file), r.data.setup) } : {}),
      spec: r.data,
    };
  });
}

/** Workload strings that name a file (with a slash or a .json suffix) are taken relative to the spec. */
function resolveWorkload(spec: LoadedSpec, w: string | Record<string, unknown>): string | Record<string, unknown> {
  if (typeof w !== 'string' || !(w.includes('/') || w.endsWith('.json')) || isAbsolute(w)) return w;
  return resolve(dirname(spec.file), w);
}

export function expandMatrix(spec: LoadedSpec): TestCase[] {
  const m = spec.spec.matrix;
  const out: TestCase[] = [];
  for (const w of m.workloads) {
    for (const seed of m.seeds) {
      for (const cpus of m.cpus ?? [undefined]) {
        for (const kernel of m.kernels ?? [undefined]) {
          const workloadName = typeof w === 'string' ? basename(w).replace(/\.json$/, '') : String(w.name ?? 'inline');
          const label = [`workload=${workloadName}`, `seed=${seed}`, ...(cpus ? [`cpus=${cpus}`] : []), ...(kernel ? [`kernel=${kernel}`] : [])].join(' ');
          out.push({ spec, workload: resolveWorkload(spec, w), workloadName, seed, cpus, kernel, label });
        }
      }
    }
  }
  return out;
}

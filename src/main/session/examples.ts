// The bundled examples a new user can open with one click: schedulers
// (assets/schedulers/*.bpf.o, with their .bpf.c beside them, and the ones
// with planted bugs in assets/schedulers/buggy/), workloads
// (assets/workloads/*.json) and recorded timelines (assets/traces/*).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExampleList } from '../../protocol/contract';

/** The repository's (or the packaged app's) assets directory. */
export function defaultAssetsDir(): string {
  return process.env.SCXRAY_ASSETS ?? fileURLToPath(new URL('../../../assets', import.meta.url));
}

function list(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix) && !f.startsWith('.'))
    .sort();
}

function workloadDescription(path: string): string | undefined {
  try {
    const j = JSON.parse(readFileSync(path, 'utf8')) as { description?: unknown };
    return typeof j.description === 'string' ? j.description : undefined;
  } catch {
    return undefined;
  }
}

export function listExamples(assets: string): ExampleList {
  const sdir = join(assets, 'schedulers');
  const wdir = join(assets, 'workloads');
  const tdir = join(assets, 'traces');
  return {
    schedulers: [
      ...list(sdir, '.bpf.o').map((file) => ({
        name: file.slice(0, -'.bpf.o'.length),
        file,
        hasSource: existsSync(join(sdir, file.replace(/\.o$/, '.c'))),
      })),
      // The ones with planted bugs (schedulers/buggy/), offered beside the others as "buggy-NAME".
      ...list(join(sdir, 'buggy'), '.bpf.o').map((file) => ({
        name: `buggy-${file.slice(0, -'.bpf.o'.length)}`,
        file: `buggy/${file}`,
        hasSource: existsSync(join(sdir, 'buggy', file.replace(/\.o$/, '.c'))),
      })),
    ],
    workloads: list(wdir, '.json').map((file) => {
      const description = workloadDescription(join(wdir, file));
      return { name: file.slice(0, -'.json'.length), file, ...(description ? { description } : {}) };
    }),
    traces: list(tdir, '').filter((f) => !f.endsWith('.md')).map((file) => ({ name: file.replace(/\.[^.]*$/, ''), file })),
  };
}

/** Path of an example by name ("fifo", "fifo.bpf.o", a trace name), or undefined. */
export function resolveExample(assets: string, name: string, kind: 'object' | 'trace'): string | undefined {
  if (name.includes('/') || name.includes('\\') || name.startsWith('.')) return undefined;
  const ex = listExamples(assets);
  if (kind === 'object') {
    const s = ex.schedulers.find((x) => x.name === name || x.file === name);
    return s ? join(assets, 'schedulers', s.file) : undefined;
  }
  const t = ex.traces.find((x) => x.name === name || x.file === name);
  return t ? join(assets, 'traces', t.file) : undefined;
}

/** Path of a workload preset by name, or undefined. */
export function resolveWorkload(assets: string, name: string): string | undefined {
  const w = listExamples(assets).workloads.find((x) => x.name === name || x.file === name);
  return w ? join(assets, 'workloads', w.file) : undefined;
}

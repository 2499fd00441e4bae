// Workloads by preset name (assets/workloads/<name>.json) or by path, parsed
// and validated with errors that name the offending field.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { osErrorText } from '../../base/os_error';
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import { WorkloadSpec, type Workload } from './schema';

export const PRESET_DIR = fileURLToPath(new URL('../../../assets/workloads/', import.meta.url));

export class WorkloadError extends Error {
  constructor(
    message: string,
    readonly source: string,
  ) {
    super(message);
    this.name = 'WorkloadError';
  }
}

export function listPresets(): { name: string; description: string }[] {
  if (!existsSync(PRESET_DIR)) return [];
  return readdirSync(PRESET_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const w = parseWorkload(readFileSync(PRESET_DIR + f, 'utf8'), f);
      return { name: basename(f, '.json'), description: w.description };
    });
}

/** A preset name ("cpu-hogs") or a path to a JSON file. */
export function loadWorkload(nameOrPath: string): Workload {
  const preset = PRESET_DIR + nameOrPath + '.json';
  const path = /^[a-z0-9-]+$/.test(nameOrPath) && existsSync(preset) ? preset : nameOrPath;
  if (!existsSync(path)) {
    const names = listPresets().map((p) => p.name).join(', ');
    throw new WorkloadError(`no workload preset or file "${nameOrPath}" (presets: ${names})`, nameOrPath);
  }
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new WorkloadError(`${path}: is a directory, not a workload JSON file`, path);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof WorkloadError) throw e;
    throw new WorkloadError(`${path}: cannot read the workload (${osErrorText(e)})`, path);
  }
  return parseWorkload(text, path);
}

export function parseWorkload(text: string, source: string): Workload {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new WorkloadError(`${source}: not valid JSON (${(e as Error).message})`, source);
  }
  return validateWorkload(raw, source);
}

export function validateWorkload(raw: unknown, source = 'workload'): Workload {
  const r = WorkloadSpec.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    // One problem stays on one line (a command line prints it as is); several are listed below the first line.
    const text = lines.length === 1 ? `${source}: invalid workload: ${lines[0]}` : `${source}: invalid workload\n${lines.map((l) => `  ${l}`).join('\n')}`;
    throw new WorkloadError(text, source);
  }
  const w = r.data;
  const names = new Set(w.groups.map((g) => g.name));
  const cgroups = new Set(['/', ...w.cgroups.map((c) => c.path)]);
  w.groups.forEach((g, gi) => {
    if (g.cgroup !== undefined && !cgroups.has(g.cgroup)) {
      throw new WorkloadError(`${source}: groups.${gi}.cgroup: "${g.cgroup}" is not declared in cgroups`, source);
    }
    g.steps.forEach((s, si) => {
      const cg = 'cgroup' in s ? s.cgroup : 'cgroupWeight' in s ? s.cgroupWeight.path
        : 'cgroupBandwidth' in s ? s.cgroupBandwidth.path : 'cgroupIdle' in s ? s.cgroupIdle.path : undefined;
      if (cg !== undefined && !cgroups.has(cg)) {
        throw new WorkloadError(`${source}: groups.${gi}.steps.${si}: cgroup "${cg}" is not declared in cgroups`, source);
      }
      const target = 'wake' in s ? s.wake : 'fork' in s ? s.fork : 'renice' in s ? s.renice.group : undefined;
      if (target !== undefined && !names.has(target)) {
        throw new WorkloadError(`${source}: groups.${gi}.steps.${si}: no task group named "${target}"`, source);
      }
    });
  });
  return w;
}

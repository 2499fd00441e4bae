// Records a timeline with the real CLI (`scxray run --record`), for the
// tests that open one through the UI.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface RecordOptions {
  /** An example scheduler by name (assets/schedulers/<name>.bpf.o), or `object`: a path. */
  scheduler?: string;
  object?: string;
  workload: string;
  cpus: number;
  duration: string;
  seed?: number;
  /** The run is expected to eject the scheduler (exit status 1). */
  allowEjection?: boolean;
}

export function recordTrace(out: string, opts: RecordOptions): string {
  const object = opts.object ?? resolve(ROOT, 'assets', 'schedulers', `${opts.scheduler}.bpf.o`);
  const r = spawnSync(
    process.execPath,
    [
      resolve(ROOT, 'bin', 'scxray.mjs'),
      'run',
      object,
      '--workload', opts.workload,
      '--cpus', String(opts.cpus),
      '--duration', opts.duration,
      '--seed', String(opts.seed ?? 1),
      '--record', out,
      '--json',
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  if (r.status !== 0 && !(opts.allowEjection && r.status === 1)) throw new Error(`scxray run failed (${r.status}): ${r.stderr}`);
  return out;
}

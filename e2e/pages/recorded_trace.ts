// Records a timeline with the real CLI (`scxray run --record`), for the
// tests that open one through the UI.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

export function recordTrace(out: string, opts: { scheduler: string; workload: string; cpus: number; duration: string; seed?: number }): string {
  const r = spawnSync(
    process.execPath,
    [
      resolve(ROOT, 'bin', 'scxray.mjs'),
      'run',
      resolve(ROOT, 'assets', 'schedulers', `${opts.scheduler}.bpf.o`),
      '--workload', opts.workload,
      '--cpus', String(opts.cpus),
      '--duration', opts.duration,
      '--seed', String(opts.seed ?? 1),
      '--record', out,
      '--json',
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  if (r.status !== 0) throw new Error(`scxray run failed (${r.status}): ${r.stderr}`);
  return out;
}

// Where live runs record: one temp folder per run (/tmp/scxray-run-XXXXXX)
// holding the trace and an `owner` file with the recording process's pid. A
// run's folder is deleted when its session lets go of it (a new run, another
// trace opened, the window or tab closed); "Save trace as…" copies the trace
// elsewhere first. Folders whose owner process is gone — a crash, kill -9 —
// are removed the next time a host starts.

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

export const RUN_DIR_PREFIX = 'scxray-run-';
const OWNER_FILE = 'owner';
/** A folder without an owner file (written by an older scxray) counts as stale after this long. */
const UNOWNED_STALE_MS = 60 * 60 * 1000;

/** A fresh run folder owned by this process. */
export function createRunDir(root = tmpdir()): string {
  const dir = mkdtempSync(join(root, RUN_DIR_PREFIX));
  writeFileSync(join(dir, OWNER_FILE), `${process.pid}\n`);
  return dir;
}

/** Delete the run folder holding `traceFile`; anything not inside a run folder is left alone. */
export function removeRunDir(traceFile: string): void {
  const dir = dirname(traceFile);
  if (!basename(dir).startsWith(RUN_DIR_PREFIX)) return;
  rmSync(dir, { recursive: true, force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove run folders in `root` whose owner process has exited (or that have no owner and are old). */
export function cleanStaleRunDirs(root = tmpdir(), now = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => n.startsWith(RUN_DIR_PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const dir = join(root, name);
    try {
      const pid = Number.parseInt(readFileSync(join(dir, OWNER_FILE), 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) continue;
    } catch {
      try {
        if (now - statSync(dir).mtimeMs < UNOWNED_STALE_MS) continue;
      } catch {
        continue;
      }
    }
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

// "Save trace as…": the last live run's trace is a temp file that goes away
// with the session (run_dirs.ts), so keeping it means copying it out —
// to a path given in the request (checked by the host's path policy), to
// the path the Electron save dialog returns, or to the browser's downloads
// through a one-time URL the browser host serves.

import { copyFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { osErrorText } from '../../base/os_error';
import type { SaveTraceResult } from '../../protocol/contract';
import { fail } from './file_source';
import type { LiveRun } from './live_run';

export interface SaveTraceHooks {
  /** Whether a request may write this absolute path. */
  allowPath?: (path: string) => boolean;
  /** Native save dialog (Electron): the chosen path or null. */
  chooseSavePath?: (defaultName: string) => Promise<string | null>;
  /** Browser host: a one-time URL that downloads `file` under `name`. */
  offerDownload?: (file: string, name: string) => string;
}

export async function saveRunTrace(run: LiveRun | null, params: { path?: string | undefined }, hooks: SaveTraceHooks): Promise<SaveTraceResult> {
  if (!run) fail({ code: 'run_state', message: 'no run to save: start a run first (an opened trace is already a file of yours)' });
  if (run.isActive()) fail({ code: 'run_state', message: 'the run is still going: stop it or let it finish, then save its trace' });
  const name = `${run.info.scheduler}-run-${run.runId}.scxtrace`;
  let target: string | null;
  if (params.path !== undefined) {
    target = resolve(params.path);
    if (hooks.allowPath && !hooks.allowPath(target)) {
      fail({ code: 'forbidden', message: `${basename(target)}: outside the folders this host writes to (for scxray serve: its working directory and each --allow-path DIR)`, file: basename(target) });
    }
  } else if (hooks.chooseSavePath) {
    target = await hooks.chooseSavePath(name);
  } else if (hooks.offerDownload) {
    return { canceled: false, downloadUrl: hooks.offerDownload(run.traceFile, name) };
  } else {
    fail({ code: 'unavailable', message: 'this host cannot save files: give a path' });
  }
  if (target === null) return { canceled: true };
  try {
    await copyFile(run.traceFile, target);
    return { canceled: false, path: target, bytes: (await stat(target)).size };
  } catch (e) {
    fail({ code: 'io', message: `${target}: cannot save the trace (${osErrorText(e)})`, file: basename(target) });
  }
}

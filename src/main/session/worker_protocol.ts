// Messages between the main thread and the session worker (structured
// clone: typed arrays cross as they are). The session's own contract is
// validated inside the worker; these envelopes only carry it.

import type { Result } from '../../protocol/contract';

export type ToWorker =
  | { type: 'request'; id: number; raw: unknown }
  | { type: 'openFromHost'; kind: 'object' | 'trace'; path: string }
  | { type: 'chosen'; id: number; path: string | null };

export type FromWorker =
  | { type: 'response'; id: number; result: Result<unknown> }
  | { type: 'push'; channel: string; payload: unknown }
  | { type: 'choose'; id: number; kind: 'object' | 'trace' }
  /** "Save trace as…": main shows its save dialog and answers with `chosen`. */
  | { type: 'chooseSave'; id: number; name: string };

export interface WorkerConfig {
  host: 'electron' | 'browser';
  assetsDir: string;
  /** Open `{ path }` requests only for paths chosen in a dialog or under assetsDir (Electron). */
  restrictPaths: boolean;
  /** Whether main offers native dialogs (chooseFile round-trips to main). */
  nativeDialogs: boolean;
  /** Whether main offers a save dialog (saveTrace round-trips to main). */
  saveDialog: boolean;
}

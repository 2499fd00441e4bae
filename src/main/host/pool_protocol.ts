// Messages between the browser host's main thread and its session workers
// (session_pool.ts ↔ pool_worker.ts). One worker hosts many sessions, each
// named by the number main gave it; request ids are unique per worker.

import type { Result } from '../../protocol/contract';

export type ToPoolWorker =
  | { type: 'open'; session: number }
  | { type: 'close'; session: number }
  | { type: 'request'; session: number; id: number; raw: unknown };

export type FromPoolWorker =
  | { type: 'response'; id: number; result: Result<unknown> }
  | { type: 'push'; session: number; channel: string; payload: unknown }
  /** "Save trace as…": main serves `file` once at /download/<id> for this session's page. */
  | { type: 'download'; session: number; id: string; file: string; name: string };

export interface PoolWorkerConfig {
  assetsDir: string | undefined;
  /** Directories `{ path }` requests may open (path_policy.ts). */
  allowedDirs: string[];
}

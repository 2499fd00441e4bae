// The package's runtime entry (`import { openScheduler } from 'scxray'`):
// the library is TypeScript run through tsx, like bin/scxray.mjs, so a
// checkout works without a build step. tsImport keeps the TypeScript loader
// scoped to these modules instead of registering it for the whole process.
// Types come from src/api/index.ts (the `types` condition of `exports`).
import { tsImport } from 'tsx/esm/api';

const api = await tsImport('./index.ts', import.meta.url);

export const { openScheduler, Scheduler, RunResult, Instant, ApiError, LoadError, SetupError, WorkloadError, listPresets, DEFAULT_KERNEL_VERSION } = api;

// The scxray library API (the package's `exports` entry; docs/api.md): open
// a sched_ext scheduler object, run it deterministically on a simulated
// machine, and query the result. No Electron, no UI.

export { openScheduler, Scheduler } from './scheduler';
export { RunResult } from './run_result';
export type { TaskStats, GroupStats, CpuStats, Fairness, FairnessEntry, EventQuery, DsqDepth, SetupReport } from './run_result';
export { Instant } from './instant';
export type { GlobalValue, MapEntry } from './instant';
export { ApiError } from './options';
export type { OpenOptions, RunOptions, Time } from './options';
export type { Percentiles } from './task_stats';
export type { BpfValue } from './values';
export { LoadError } from '../sched_ext/loader/index';
export { SetupError } from '../sim/setup/module';
export { WorkloadError, listPresets } from '../sim/workload/load';
export type { Workload } from '../sim/workload/schema';
export type { Diagnostic, ExitInfo, HeapObjectSnapshot, RunInfo, SimEvent, SimEventKind, SimSnapshot, MachineSpec } from '../model/events';
export { DEFAULT_KERNEL_VERSION } from '../sim/kernel/kernel_env';

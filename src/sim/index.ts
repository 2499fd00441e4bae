// The simulator's public surface for the session host, the CLI and tools.
// The renderer imports only types (events.ts), never this module.

export { Simulation, SimSetupError, type SimulationOptions, type RunSummary } from './simulation';
export type { TaskSummary } from './summary';
export { loadSetupModule, compileSetupModule, SetupError, type SetupModule } from './setup/module';
export { DEFAULT_SETUP_BUDGET_MS } from './setup/sandbox';
export type { SetupRun, SetupLogLine } from './setup/setup_run';
export { listPresets, loadWorkload, parseWorkload, validateWorkload, WorkloadError, PRESET_DIR } from './workload/load';
export type { Workload, WorkloadGroup, Step } from './workload/schema';
export { createKernelEnv, DEFAULT_KERNEL_VERSION, kernelObjectFor } from './kernel/kernel_env';
export { TICK_NS } from './machine';

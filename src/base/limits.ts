// The sizes every front door (CLI, session contract, workload format) bounds
// input by, defined once so they cannot drift apart. A request beyond them is
// refused with the field named, before anything is allocated for it.

/** Largest simulated machine (CPUs 0..MAX_CPUS-1); CONFIG_NR_CPUS of the simulated kernel. */
export const MAX_CPUS = 256;

/**
 * Most tasks one run may create in total: the workload's groups (count, or
 * perCpu × CPUs) plus every task its fork steps add. Each task is a
 * task_struct in BPF-visible memory plus its scheduler state.
 */
export const MAX_TASKS = 16_384;

/** Most cgroups a workload may declare. */
export const MAX_CGROUPS = 4096;

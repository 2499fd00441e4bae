// The kernel side of BPF for scxray: maps, helpers, the kfunc registry, local
// kptrs, rbtrees, lists and kptr stashing, with every ownership change
// recorded. The simulator drives it through BpfRuntime and RuntimeHost.

export type { RuntimeHost } from './host';
export { BpfRuntime, type BpfRuntimeOptions, type RuntimeKernel } from './runtime';
export { KfuncRegistry, UnknownKfuncError } from './kfunc_registry';
export { HeapObject, ObjectHeap, ownerKey } from './heap';
export { RuntimeCore, type RunState } from './core';
export { BpfMap, ValueCell } from './maps/map';
export { ArrayMap } from './maps/array';
export { HashMap } from './maps/hash';
export { QueueStackMap } from './maps/queue_stack';
export { RingbufMap } from './maps/ringbuf';
export { LocalStorageMap } from './maps/local_storage';
export { MapOfMaps } from './maps/map_of_maps';
export { GraphRoot, GraphStore } from './graph';
export { formatHeap } from './format_heap';
export { formatBpf } from './printf';
export type { HelperTable, KfuncTable } from './natives';
export type { InvalidatedAccessMode } from './invalidation_guard';
export { Timers, type CallbackInvoker } from './timer';
export { KernelRefs } from './kernel_refs';

// What the setup skeleton's parts share: the phase the run is in (open →
// loaded → attached, libbpf's open/load/attach), the object in each phase,
// and the services the orchestrator (setup_run.ts) provides.

import type { Btf } from '../../sched_ext/btf/btf';
import type { LoadedObject } from '../../sched_ext/loader/object';
import type { OpenedObject } from '../../sched_ext/loader/index';
import type { BpfRuntime } from '../../sched_ext/runtime/runtime';
import type { BpfMap } from '../../sched_ext/runtime/maps/map';
import type { MachineSpec } from '../../model/events';
import type { SkelMap } from './skel_maps';

export type SetupPhase = 'open' | 'loaded' | 'attached';

export interface SetupState {
  phase: SetupPhase;
  machine: MachineSpec;
  opened?: OpenedObject;
  object?: LoadedObject;
  runtime?: BpfRuntime;
  btf(): Btf;
  skelMapFor(map: BpfMap): SkelMap;
  nextInnerId(): number;
  /** Ring buffer records not yet drained by the setup (then forgotten). */
  takeRingbuf(map: string): Uint8Array[];
}

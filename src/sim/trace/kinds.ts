// Kind codes as the trace reader's hot loops use them (by name → byte). The
// kinds themselves, their columns and codes are described once, in
// src/model/event_kinds.ts.

import { EVENT_KINDS, KIND_NAMES } from '../../model/event_kinds';
import type { SimEventKind } from '../../model/events';

export const KIND_CODE = Object.fromEntries(KIND_NAMES.map((k) => [k, EVENT_KINDS[k].code])) as Record<SimEventKind, number>;

export const K = KIND_CODE;

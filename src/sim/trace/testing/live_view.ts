// Replayed snapshots mark heap fields with fieldsAt (the time the values are
// from); a producer's live snapshot never does. For comparing the two.

import type { SimSnapshot } from '../../../model/events';

export function withoutFieldsAt(s: SimSnapshot): SimSnapshot {
  return { ...s, heap: s.heap.map(({ fieldsAt: _fa, ...h }) => h) };
}

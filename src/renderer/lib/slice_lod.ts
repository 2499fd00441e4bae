// Level of detail in time, the way the session's slices query answers
// (contract RunSlices): on each CPU, consecutive runs shorter than nsPerPx
// merge into one slice that counts them and takes the pid that ran longest.
// The renderer uses it to stand in for the host in the timeline benchmark.
import type { RunSlices } from '../../protocol/contract';
import type { SliceLanes } from './slice_lanes';

export function lodSlices(src: SliceLanes, t0: number, t1: number, nsPerPx: number): RunSlices {
  const { batch, order, sortedStart } = src;
  const cap = Math.min(src.count, Math.ceil(((t1 - t0) / nsPerPx + 2) * src.lanes * 2) + 16);
  const cpu = new Int32Array(cap);
  const pid = new Int32Array(cap);
  const start = new Float64Array(cap);
  const end = new Float64Array(cap);
  const merged = new Uint32Array(cap);
  let n = 0;
  for (let c = 0; c < src.lanes; c++) {
    const a = src.laneOffset[c]!;
    const b = src.laneOffset[c + 1]!;
    let lo = a;
    let hi = b;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sortedStart[mid]! < t0) lo = mid + 1;
      else hi = mid;
    }
    if (lo > a && batch.end[order[lo - 1]!]! > t0) lo--;
    let open = false;
    let best = 0;
    for (let k = lo; k < b; k++) {
      const i = order[k]!;
      const s = batch.start[i]!;
      if (s > t1) break;
      const e = batch.end[i]!;
      const short = e - s < nsPerPx;
      if (open && short && end[n - 1]! - start[n - 1]! < nsPerPx * 2 && s - end[n - 1]! < nsPerPx) {
        end[n - 1] = e;
        merged[n - 1]!++;
        if (e - s > best) {
          best = e - s;
          pid[n - 1] = batch.pid[i]!;
        }
        continue;
      }
      if (n === cap) break;
      cpu[n] = c;
      pid[n] = batch.pid[i]!;
      start[n] = s;
      end[n] = e;
      merged[n] = 1;
      best = e - s;
      open = short;
      n++;
    }
  }
  return {
    t0,
    t1,
    nsPerPx,
    cpu: cpu.slice(0, n),
    pid: pid.slice(0, n),
    start: start.slice(0, n),
    end: end.slice(0, n),
    merged: merged.slice(0, n),
  };
}

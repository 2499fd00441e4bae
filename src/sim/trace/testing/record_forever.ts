// Child process for the crash-safety test: records a toy run to argv[2] with
// small chunks and reports progress on stdout, until it is killed (or gives
// up after a minute so a broken test cannot leave it running).

import { TraceRecorder } from '../recorder';
import { toyInfo } from './record_toy';
import { ToySimulation } from './toy_simulation';

const path = process.argv[2]!;
const seed = Number(process.argv[3] ?? 1);
const sim = new ToySimulation(4, seed);
const rec = new TraceRecorder(path, toyInfo(4, seed), { snapshot: () => sim.snapshot(), chunkEvents: 200 });
sim.on((e) => rec.event(e));
sim.start();
const deadline = Date.now() + 60_000;
let reported = 0;
function burst(): void {
  for (let i = 0; i < 50; i++) sim.step();
  if (rec.chunkCount !== reported) {
    reported = rec.chunkCount;
    process.stdout.write(`chunks ${reported}\n`);
  }
  if (Date.now() < deadline) setImmediate(burst);
}
burst();

// npm run bench: runs each area's benchmark when it exists (bench/vm.ts ->
// benchVm, bench/sim.ts -> benchSim, bench/trace.ts -> benchTrace,
// bench/ui.ts -> benchUi, bench/tracks.ts -> benchTracks) and says which are not there yet. Each area prints
// its own results. `npm run bench -- ui trace` runs only the areas named.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const AREAS = [
  { file: 'vm.ts', fn: 'benchVm', what: 'VM: JIT vs interpreter instructions per second' },
  { file: 'sim.ts', fn: 'benchSim', what: 'simulation: simulated-time speed-up, events per second' },
  { file: 'trace.ts', fn: 'benchTrace', what: 'traces: write/read MB/s, seek latency, bytes per event' },
  { file: 'ui.ts', fn: 'benchUi', what: 'UI path in Chromium: live run vs CLI, trace open to first paint, cursor latency, pan/zoom frames' },
  { file: 'tracks.ts', fn: 'benchTracks', what: 'change tracks in Chromium: pan/zoom frame times over 2,000 objects on a 10 s, 64-CPU timeline' },
] as const;

const only = new Set(process.argv.slice(2));
let missing = 0;
let failed = 0;
for (const area of AREAS) {
  if (only.size > 0 && !only.has(area.file.replace(/\.ts$/, ''))) continue;
  const url = new URL(`./${area.file}`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    console.log(`bench: bench/${area.file} is missing (${area.what}); skipped`);
    missing++;
    continue;
  }
  const mod = (await import(url.href)) as Record<string, unknown>;
  const fn = mod[area.fn];
  if (typeof fn !== 'function') {
    console.log(`bench: bench/${area.file} does not export ${area.fn}(); skipped`);
    missing++;
    continue;
  }
  console.log(`bench: ${area.fn}() — ${area.what}`);
  try {
    await (fn as () => unknown)();
  } catch (e) {
    failed++;
    console.error(`bench: ${area.fn}() failed: ${(e as Error).stack ?? String(e)}`);
  }
}
console.log(`bench: ${(only.size || AREAS.length) - missing - failed} ran, ${missing} missing, ${failed} failed`);
if (failed > 0) process.exitCode = 1;

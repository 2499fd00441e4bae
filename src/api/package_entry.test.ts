// The package entry by name, as a Vitest user imports it: 'scxray' resolves
// through package.json `exports` to src/api/entry.mjs, which loads the
// TypeScript through tsx; the same classes come back as from the sources.

import { expect, it } from 'vitest';
import * as pkg from 'scxray';

it("import from 'scxray' in Vitest gives the documented API, and it runs", async () => {
  expect(Object.keys(pkg).sort()).toEqual(['ApiError', 'DEFAULT_KERNEL_VERSION', 'Instant', 'LoadError', 'RunResult', 'Scheduler', 'SetupError', 'WorkloadError', 'listPresets', 'openScheduler']);
  const s = await pkg.openScheduler(new URL('../../assets/schedulers/fifo.bpf.o', import.meta.url).pathname);
  const run = await s.run({ workload: 'cpu-hogs', cpus: 1, duration: '100ms' });
  expect(run).toBeInstanceOf(pkg.RunResult);
  expect(run.ejected).toBe(false);
  expect(run.cpus()[0]!.utilization).toBeGreaterThan(0.99);
  run.close();
  expect(pkg.listPresets().map((p) => p.name)).toContain('interactive');
  await expect(pkg.openScheduler('/nonexistent.bpf.o')).rejects.toBeInstanceOf(pkg.ApiError);
});

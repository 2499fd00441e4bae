// Arena pages in the state panel (#13): a recorded run of the per-task
// context allocator (test/bpf/sim/arena_ctx.bpf.c: __arena globals on page 0,
// contexts from bpf_arena_alloc_pages, one write and one read of a freed
// page) opened at an instant shows each arena's mapped runs, pages in use of
// its maximum and the unmapped accesses — the same figures the engine gives
// (ArenaMap.allocations(), unmappedReads/Writes) when the same run is
// simulated here up to that keyframe's instant.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { openTraceHash } from '../src/protocol/open_link';
import { Simulation } from '../src/sim/simulation';
import { DebuggerPage } from './pages/debugger_page';
import { ArenaView } from './pages/arena_view';
import { recordTrace } from './pages/recorded_trace';
import { snapshotAt } from './pages/rbtree_view';

const ROOT = resolve(import.meta.dirname, '..');
const ARENA_CTX = resolve(ROOT, 'test', 'bpf', 'build', 'sim', 'arena_ctx.bpf.o');
const RUN = { workload: 'interactive', cpus: 4, seed: 3 } as const;
/** Past the first keyframe after the tasks' contexts were allocated (a chunk holds 8192 events). */
const AT = 500_000_000;

function fixture(): string {
  if (!existsSync(ARENA_CTX)) {
    const b = spawnSync(process.execPath, [resolve(ROOT, 'scripts', 'build-bpf.mjs'), '--tests-only'], { cwd: ROOT, encoding: 'utf8' });
    expect(b.status, b.stderr).toBe(0);
  }
  return ARENA_CTX;
}

/** The engine's own arena figures after simulating the same run up to `t`. */
function engineAt(t: number) {
  const s = new Simulation({ objectBytes: new Uint8Array(readFileSync(ARENA_CTX)), file: 'arena_ctx.bpf.o', ...RUN });
  s.runFor(t);
  const arenas = s.runtime.arenaContents();
  s.unload();
  return arenas;
}

async function shoot(page: Page, ui: DebuggerPage, testInfo: TestInfo, name: string): Promise<void> {
  for (const [w, h] of [[1600, 1000], [1280, 720]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.getByTestId('arenas').scrollIntoViewIfNeeded();
    await ui.screenshot(testInfo, `${name}-${w}x${h}`);
    copyFileSync(testInfo.outputPath(`${name}-${w}x${h}.png`), `/tmp/${name}-${w}x${h}.png`);
  }
  await page.setViewportSize({ width: 1600, height: 1000 });
}

test('the Arenas card shows the mapped runs, pages in use and unmapped accesses the engine has', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('arena.scxtrace'), { object: fixture(), duration: '2s', ...RUN });
  // the trace's state at AT carries the arenas of the keyframe before it
  const replayed = snapshotAt(trace, AT);
  expect(replayed.arenas).toHaveLength(1);
  const keyframeAt = replayed.globalsAt ?? AT;
  expect(keyframeAt).toBeGreaterThan(0);
  const [engine] = engineAt(keyframeAt);
  expect(replayed.arenas![0]).toEqual(engine);
  // the run exercised every figure: globals, allocations, an unmapped read and write
  expect(engine!.runs.map((r) => r.kind)).toEqual(['globals', 'alloc']);
  expect(engine!.unmappedReads).toBe(1);
  expect(engine!.unmappedWrites).toBe(1);

  const ui = new DebuggerPage(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(`/${openTraceHash(trace, AT)}`);
  const view = new ArenaView(page);
  await expect(view.arena('arena')).toBeVisible();
  expect(await view.figures('arena')).toEqual({
    inUse: engine!.pagesInUse,
    max: engine!.maxPages,
    reads: engine!.unmappedReads,
    writes: engine!.unmappedWrites,
    runs: engine!.runs,
  });
  await expect(view.arena('arena')).toContainText(`${engine!.pagesInUse} of ${engine!.maxPages} pages mapped`);
  await expect(view.arena('arena').locator('svg rect.run')).toHaveCount(engine!.runs.length);
  await shoot(page, ui, testInfo, 'arena-view');
});

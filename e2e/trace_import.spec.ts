// A scheduling trace captured on a real machine (test/traces) dropped on the
// window: it becomes the selected workload on the traced CPU count, a run of
// fifo replays it, and the original's CPU tracks and wakeup latency histogram
// show under the simulated timeline beside the simulated run's.
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { DebuggerPage } from './pages/debugger_page';
import { OriginalTrace } from './pages/original_trace';

const PERF = resolve(import.meta.dirname, '..', 'test', 'traces', 'clang-build.perf.txt');

test('a dropped perf trace replays against fifo with the original tracks under the simulated ones', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  const ui = new DebuggerPage(page);
  const orig = new OriginalTrace(page);
  await ui.open();

  await orig.dropFile(PERF);
  await expect(ui.banner.root).toHaveCount(0);
  await expect(page.getByTestId('workload')).toHaveValue('trace: clang-build.perf.txt');
  await expect(page.getByTestId('cpus')).toHaveValue('2');
  await expect(orig.root).toContainText('clang-build.perf.txt');
  await expect(orig.root).toContainText('perf, 2 CPUs');
  await expect(orig.root).toContainText('70 tasks');
  await expect(orig.lanes).toHaveAttribute('data-cpus', '2');
  await expect.poll(() => orig.slicesDrawn()).toBeGreaterThan(100);
  await expect(orig.originalHistogram).toHaveAttribute('data-samples', /^[1-9]\d+$/);
  await ui.screenshot(testInfo, 'trace-imported-before-run');

  await ui.empty.openExample('fifo');
  await expect(ui.scheduler.name).toHaveText('fifo');
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).toHaveText('finished', { timeout: 60_000 });
  await expect(ui.banner.root).toHaveCount(0);
  // the simulated tracks: both CPUs of the traced machine busy with the replayed tasks
  await ui.timeline.expectSlicesOnEveryLane(2);
  // the original under them, on the same time axis
  const simBox = (await ui.timeline.canvas.boundingBox())!;
  const origBox = (await orig.lanes.boundingBox())!;
  expect(origBox.y).toBeGreaterThanOrEqual(simBox.y + simBox.height - 1);
  expect(Math.abs(origBox.x - simBox.x)).toBeLessThan(2);
  expect(Math.abs(origBox.x + origBox.width - (simBox.x + simBox.width))).toBeLessThan(2);
  // the same time window on both
  await expect.poll(() => orig.lanes.getAttribute('data-view')).toBe(await ui.timeline.canvas.getAttribute('data-view'));
  await expect.poll(() => orig.slicesDrawn()).toBeGreaterThan(100);
  // latency histograms side by side, the simulated one from the run's own wakeups
  await expect(orig.simulatedHistogram).toHaveAttribute('data-samples', /^[1-9]\d+$/, { timeout: 20_000 });
  const a = (await orig.originalHistogram.boundingBox())!;
  const b = (await orig.simulatedHistogram.boundingBox())!;
  expect(Math.abs(a.y - b.y)).toBeLessThan(2);
  expect(b.x).toBeGreaterThan(a.x + a.width);
  // CPU busy and migrations side by side: the original's from the trace, the run's from its own events
  await expect(page.getByTestId('orig-util')).toHaveText(/^0: \d+% · 1: \d+%$/);
  await expect(page.getByTestId('sim-util')).toHaveText(/^0: \d+% · 1: \d+%$/);
  await expect(page.getByTestId('sim-migrations')).toHaveText(/^\d+$/);
  await ui.screenshot(testInfo, 'trace-import-1600');

  // zooming the simulated timeline zooms the original with it
  const before = await orig.slicesDrawn();
  await ui.timeline.holdKey('w', 500);
  await expect.poll(() => orig.slicesDrawn()).toBeLessThan(before);
  await expect.poll(async () => (await orig.lanes.getAttribute('data-view')) === (await ui.timeline.canvas.getAttribute('data-view'))).toBe(true);
  expect(await orig.lanes.getAttribute('data-view')).not.toBe('0,200000000');

  await page.setViewportSize({ width: 1280, height: 720 });
  await ui.screenshot(testInfo, 'trace-import-1280');

  // another workload chosen: the original is not shown under it
  await ui.toolbar.chooseRun({ workload: 'cpu-hogs' });
  await expect(orig.root).toHaveCount(0);
  await ui.toolbar.chooseRun({ workload: 'trace: clang-build.perf.txt' });
  await expect(orig.root).toBeVisible();
});

test('the drop overlay, and a malformed trace names the line in the banner', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const ui = new DebuggerPage(page);
  const orig = new OriginalTrace(page);
  await ui.open();
  await orig.dropFile(PERF, { holdOverlay: true });
  await ui.screenshot(testInfo, 'drop-overlay');
  await page.dispatchEvent('body', 'dragleave', {});

  const dir = mkdtempSync(join(tmpdir(), 'scxray-e2e-'));
  const lines = readFileSync(PERF, 'utf8').split('\n');
  lines.splice(80, 0, 'not a trace line');
  const bad = join(dir, 'broken.perf.txt');
  writeFileSync(bad, lines.join('\n'));
  await orig.dropFile(bad);
  await expect(ui.banner.root).toContainText('broken.perf.txt:81: not a trace event line');
  await expect(orig.root).toHaveCount(0);
});

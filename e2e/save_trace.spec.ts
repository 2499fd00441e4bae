// "Save trace as…" in the browser host: a finished run's trace (a temp file
// the host deletes when the tab closes) downloads as a complete .scxtrace.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { DebuggerPage } from './pages/debugger_page';

test('a finished run’s trace can be saved: the browser downloads a complete trace file', async ({ page }, testInfo) => {
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.empty.openExample('fifo');
  await expect(ui.toolbar.saveTrace).toHaveCount(0);
  await ui.toolbar.chooseRun({ workload: 'cpu-hogs', cpus: 2, seed: 1, duration: '50 ms' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).toHaveText('finished', { timeout: 60_000 });
  await expect(ui.toolbar.saveTrace).toBeVisible();
  await ui.screenshot(testInfo, 'save-trace');
  const download = page.waitForEvent('download');
  await ui.toolbar.saveTrace.click();
  const d = await download;
  expect(d.suggestedFilename()).toBe('fifo-run-1.scxtrace');
  const path = testInfo.outputPath('saved.scxtrace');
  await d.saveAs(path);
  const bytes = readFileSync(path);
  expect(bytes.length).toBeGreaterThan(1000);
  expect(bytes.subarray(0, 8).toString('latin1')).toBe('SCXTRACE');
  await expect(ui.banner.root).toHaveCount(0);
});

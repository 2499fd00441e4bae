// `scxray serve --open TRACE --at T` prints a URL whose fragment opens a
// recorded trace at an instant (what `scxray test` and `scxray fuzz` print
// for a failure): the page opens the trace by path and puts the cursor there.
import { expect, test } from '@playwright/test';
import { DebuggerPage } from './pages/debugger_page';
import { recordTrace } from './pages/recorded_trace';
import { openTraceHash } from '../src/protocol/open_link';

test('a #open=…&at=… link opens the trace with the cursor at that instant', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('vtime-link.scxtrace'), { scheduler: 'vtime', workload: 'cpu-hogs', cpus: 2, duration: '400ms' });
  const ui = new DebuggerPage(page);
  await page.goto(`/${openTraceHash(trace, 250_000_000)}`);
  await expect(ui.toolbar.root).toBeVisible();
  await expect(page.getByTestId('run-info')).toContainText('vtime');
  await expect(ui.toolbar.timeReadout).toHaveText('0.250 000 000 s');
  await ui.timeline.expectSlicesOnEveryLane(2);
});

test('a link to a path the host may not open says so in the banner', async ({ page }) => {
  await page.goto(`/${openTraceHash('/etc/passwd', 1)}`);
  const banner = page.getByRole('alert').first();
  await expect(banner).toContainText('passwd');
  await expect(banner).toContainText('outside the folders this host opens files from');
});

// The browser host's per-launch token, seen from a real browser: without it
// the page says where to find it; the printed URL lets the browser in, drops
// the token from the address bar and keeps it (a reload still works).
import { expect, test } from '@playwright/test';
import { DebuggerPage } from './pages/debugger_page';
import { hostBaseUrl, hostUrl } from './pages/host';

test('without the token the page asks for the printed URL; with it the UI opens and survives a reload', async ({ browser }, testInfo) => {
  // A context without the token cookie the config gives every other spec.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, baseURL: hostBaseUrl() });
  const page = await context.newPage();
  const denied = await page.goto('/');
  expect(denied?.status()).toBe(401);
  await expect(page.locator('#scxray-token-needed')).toContainText('needs its token');
  await page.screenshot({ path: testInfo.outputPath('token-needed.png') });

  await page.goto(hostUrl('/'));
  expect(page.url()).toBe(hostBaseUrl());
  const ui = new DebuggerPage(page);
  await expect(ui.toolbar.root).toBeVisible();
  await expect(ui.empty.examples.filter({ hasText: 'fifo' })).toHaveCount(1);
  await page.reload();
  await expect(ui.empty.examples.filter({ hasText: 'fifo' })).toHaveCount(1);
  await context.close();
});

import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from './electron_binary';

const exe = electronBinary();

test.describe('Electron app', () => {
  test.skip(exe === null, 'skipped: Electron binary not installed');

  test('opens one secure window with the session API and the File menu', async () => {
    const app = await electron.launch({ executablePath: exe!, args: ['.', '--no-sandbox'] });
    try {
      const win = await app.firstWindow();
      await expect(win).toHaveTitle(/scxray/);
      // window.scxray comes from the preload; Node is not reachable from the page.
      const probe = await win.evaluate(() => ({
        api: typeof (window as unknown as { scxray?: unknown }).scxray === 'object',
        node: typeof (globalThis as { require?: unknown }).require,
      }));
      expect(probe).toEqual({ api: true, node: 'undefined' });
      type Api = { request(m: string, p: unknown): Promise<unknown> };
      const info = await win.evaluate(() => (window as unknown as { scxray: Api }).scxray.request('hostInfo', {}));
      expect(info).toMatchObject({ ok: true, result: { host: 'electron', nativeDialogs: true } });
      const labels = await app.evaluate(({ Menu }) =>
        Menu.getApplicationMenu()?.items.find((i) => i.label === 'File')?.submenu?.items.map((i) => i.label) ?? [],
      );
      expect(labels).toEqual(expect.arrayContaining(['Open scheduler object…', 'Open recorded timeline…', 'Quit']));
      const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
      expect(windows).toBe(1);
      await win.screenshot({ path: 'e2e-artifacts/electron-main.png' });
    } finally {
      await app.close();
    }
  });
});

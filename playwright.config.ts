import { defineConfig, type PlaywrightTestProject } from '@playwright/test';
import { electronBinary } from './e2e/electron/electron_binary';
import { hostStorageState } from './e2e/pages/host';

// Two projects:
//  - browser: the UI served by the browser host (scxray serve) in Debian's
//    Chromium, headless.
//  - electron: the desktop app via _electron.launch, only where the Electron
//    binary was downloaded (scripts/test.mjs runs Playwright under xvfb-run
//    when there is no display).

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

const hasElectron = electronBinary() !== null;
if (!hasElectron && !process.env.TEST_WORKER_INDEX && !process.env.SCXRAY_ELECTRON_NOTICE_SHOWN) {
  process.env.SCXRAY_ELECTRON_NOTICE_SHOWN = '1';
  console.log('skipped: Electron binary not installed (electron e2e project)');
}

const projects: PlaywrightTestProject[] = [
  {
    name: 'browser',
    testDir: './e2e',
    testIgnore: ['electron/**'],
    use: {
      browserName: 'chromium',
      headless: true,
      launchOptions: { executablePath: process.env.SCXRAY_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
      // Set by webServer.wait below from the host's "serving at" line.
      baseURL: process.env.SCXRAY_URL,
      // The host's per-launch token as the cookie its first page load sets, so
      // every spec's page.goto('/…') is let in (e2e/pages/host.ts).
      storageState: hostStorageState(),
      viewport: { width: 1440, height: 900 },
    },
  },
];
if (hasElectron) projects.push({ name: 'electron', testDir: './e2e/electron' });

export default defineConfig({
  projects,
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: 'test-results',
  reporter: [['list'], ['json', { outputFile: '.cache/playwright-results.json' }]],
  use: { screenshot: 'only-on-failure', trace: 'retain-on-failure' },
  webServer: {
    // The built renderer (npm run build) on a free port. The URL it prints
    // (http://127.0.0.1:PORT/?token=T) becomes SCXRAY_URL (without the token)
    // and SCXRAY_TOKEN: Playwright sets an env var per named group.
    command: 'node bin/scxray.mjs serve --port 0',
    wait: { stdout: /serving at (?<scxray_url>http:\/\/127\.0\.0\.1:\d+\/)\?token=(?<scxray_token>[0-9a-f]+)\r?\n/ },
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});

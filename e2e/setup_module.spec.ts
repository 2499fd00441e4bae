// The scheduler's userspace half in the UI: array and struct knobs edited
// leaf by leaf, a setup module chosen (the panel says it runs code), a run
// whose setup output and every() rounds show as timeline markers and
// events, and a failing module reported in the banner with its line.
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DebuggerPage } from './pages/debugger_page';
import { SetupModulePanel } from './pages/setup_module';
import { bpfFixturePath } from '../test/support/bpf';

const ROOT = resolve(import.meta.dirname, '..');
const knobsObject = bpfFixturePath('test/bpf/setup/knobs.bpf.c');
const knobsSetup = join(ROOT, 'test/bpf/setup/knobs.setup.mjs');

test('a setup module runs with the next run: its output and every() rounds are timeline markers', async ({ page }, testInfo) => {
  const ui = new DebuggerPage(page);
  const setup = new SetupModulePanel(page);
  await ui.open();
  await ui.toolbar.openObjectFile(knobsObject);
  await expect(ui.scheduler.name).toHaveText('knobs');

  // compound knobs are edited leaf by leaf, with the initial values as placeholders
  await expect(setup.knobField('pair_cpu[7]')).toBeVisible();
  await expect(setup.knobField('cfg.slice_ns')).toHaveAttribute('placeholder', '20000000');
  await expect(setup.knobField('cfg.tag')).toHaveAttribute('placeholder', 'default');
  await setup.knobField('cfg.batch').fill('4');

  await expect(setup.chooseButton).toBeVisible();
  await setup.choose(knobsSetup);
  await expect(setup.file).toHaveText('knobs.setup.mjs');
  await expect(setup.runsCode).toHaveText(/Runs code/);

  await ui.toolbar.chooseRun({ workload: 'cpu-hogs', cpus: 4, seed: 1, duration: '5 s' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).toHaveText('finished', { timeout: 120_000 });
  await expect(ui.banner.root).toHaveCount(0);
  // the output before attach (grouped at 0) and the rounds at 1 s … 5 s
  await expect.poll(() => setup.markers.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
  const times = await setup.markers.evaluateAll((ms) => ms.map((m) => Number(m.getAttribute('data-t'))));
  expect(times).toEqual(expect.arrayContaining([0, 1e9, 2e9, 3e9, 4e9]));
  await expect(setup.markers.first()).toHaveAttribute('title', /setup: configured 4 cpus, 2 pairs/);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await ui.timeline.expectSlicesOnEveryLane(4);
  await ui.screenshot(testInfo, 'setup-module-1600');
  await page.setViewportSize({ width: 1280, height: 720 });
  await setup.root.scrollIntoViewIfNeeded();
  await ui.timeline.expectSlicesOnEveryLane(4);
  await ui.screenshot(testInfo, 'setup-module-1280');

  // clicking a round's marker moves the cursor there; the drawer shows the setup's printk
  await setup.markers.nth(1).click();
  await ui.drawer.filterKind('printk');
  await expect(ui.drawer.rows.filter({ hasText: 'setup' }).first()).toBeVisible();
});

test('a setup module that fails before attach is reported with its file and line, and nothing starts', async ({ page }) => {
  const ui = new DebuggerPage(page);
  const setup = new SetupModulePanel(page);
  await ui.open();
  await ui.toolbar.openObjectFile(knobsObject);
  await expect(ui.scheduler.name).toHaveText('knobs');
  const dir = mkdtempSync(join(tmpdir(), 'scxray-e2e-setup-'));
  const bad = join(dir, 'bad.mjs');
  writeFileSync(bad, 'export function beforeLoad(skel) {\n  skel.rodata.pair_cpu[9] = 1;\n}\n');
  await setup.choose(bad);
  await expect(setup.file).toHaveText('bad.mjs');
  await ui.toolbar.chooseRun({ workload: 'cpu-hogs', cpus: 4, seed: 1, duration: '50 ms' });
  await ui.toolbar.runButton.click();
  await expect(ui.banner.root).toContainText('bad.mjs:2: beforeLoad(skel): skel.rodata.pair_cpu[9]: index 9 is out of bounds');
  await setup.clear.click();
  await expect(setup.chooseButton).toBeVisible();
});

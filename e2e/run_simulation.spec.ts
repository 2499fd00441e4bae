// A live run through the UI: open an example, pick workload, CPUs and seed,
// run, and see slices on every CPU lane and tasks in the runqueues.
import { expect, test } from '@playwright/test';
import { DebuggerPage } from './pages/debugger_page';

test('a short simulation shows slices on every CPU and tasks in the runqueues', async ({ page }, testInfo) => {
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.empty.openExample('vtime');
  await expect(ui.scheduler.name).toHaveText('vtime');
  await ui.toolbar.chooseRun({ workload: 'cpu-hogs', cpus: 4, seed: 7, duration: '50 ms' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).toHaveText('finished', { timeout: 60_000 });
  await expect(ui.banner.root).toHaveCount(0);
  await ui.timeline.expectSlicesOnEveryLane(4);

  await ui.timeline.seek(0.5);
  await expect(ui.state.runqueues).toBeVisible();
  await expect(ui.state.runqueues.locator('tbody tr')).toHaveCount(4);
  await expect.poll(() => ui.state.runningTasks.count()).toBeGreaterThan(0);
  await expect(ui.drawer.rows.first()).toBeVisible();
  await ui.screenshot(testInfo, 'live-run');

  // Filtering the drawer to one kind of event shows only that kind.
  await ui.drawer.filterKind('switch');
  await expect.poll(async () => new Set(await ui.drawer.rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-kind')))).size).toBe(1);
  await expect(ui.drawer.rows.first()).toHaveAttribute('data-kind', 'switch');
});

test('a long run can be paused, resumed and stopped, and the timeline fills in as it goes', async ({ page }) => {
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.empty.openExample('fifo');
  // 20 s of virtual time on 16 CPUs takes the simulator many seconds of wall time.
  await ui.toolbar.chooseRun({ workload: 'interactive', cpus: 16, seed: 3, duration: '20 s' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).toHaveText('running');
  await ui.toolbar.pauseButton.click();
  await expect(ui.toolbar.runState).toHaveText('paused');
  await ui.timeline.expectSlicesOnEveryLane(16);
  await page.getByTestId('resume').click();
  await expect(ui.toolbar.runState).toHaveText('running');
  // Events show while the run is going (its progress keeps changing the window).
  await expect.poll(() => ui.drawer.rows.count()).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(ui.toolbar.runState).toHaveText('stopped');
  await expect(ui.banner.root).toHaveCount(0);
});

test('a rodata knob set in the scheduler panel applies to the next run', async ({ page }) => {
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.empty.openExample('vtime');
  await page.getByTestId('knob-slice_ns').fill('5000000');
  await ui.toolbar.chooseRun({ workload: 'cpu-hogs', cpus: 4, seed: 1, duration: '50 ms' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).toHaveText('finished', { timeout: 60_000 });
  await ui.drawer.filterKind('dsq_insert');
  await expect
    .poll(async () => (await ui.drawer.rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-kind')))).join())
    .toMatch(/^dsq_insert(,dsq_insert)*$/);
  const texts = await ui.drawer.rows.allTextContents();
  expect(texts.some((t) => t.includes('slice 5000000')), texts.slice(0, 5).join('\n')).toBe(true);
  expect(texts.some((t) => t.includes('slice 20000000'))).toBe(false);
});

// Replaying a recorded timeline: open a trace recorded by the CLI with the
// rbtree example, seek, and see the scheduler's BPF rbtree at that instant;
// the same for the list example's bpf_list_head.
import { expect, test } from '@playwright/test';
import { DebuggerPage } from './pages/debugger_page';
import { recordTrace } from './pages/recorded_trace';

test('open a recorded trace, seek, and the rbtree view shows the nodes', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('rbtree-overload.scxtrace'), {
    scheduler: 'rbtree',
    workload: 'overload',
    cpus: 4,
    duration: '400ms',
  });
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.toolbar.openTraceFile(trace);
  await expect(page.getByTestId('run-info')).toContainText('rbtree');
  await ui.timeline.expectSlicesOnEveryLane(4);

  await ui.timeline.seek(0.5);
  await expect(ui.toolbar.timeReadout).not.toHaveText('0.000 000 000 s');
  await expect(ui.state.rbtrees.first()).toBeVisible();
  await expect.poll(() => ui.state.rbtreeNodes.count()).toBeGreaterThan(0);
  const labels = await ui.state.rbtreeNodes.locator('text.id').allTextContents();
  expect(labels.every((l) => /^#\d+/.test(l))).toBe(true);
  // Replay rebuilds the exact tree between keyframes: no "shape not recorded" fallback.
  await expect(ui.state.rbtrees.first().getByText('Tree shape not recorded')).toHaveCount(0);
  // The machine is overloaded: every CPU runs a task.
  await expect(ui.state.runningTasks).toHaveCount(4);

  // Selecting a tree node highlights the same object in the heap table.
  const node = ui.state.rbtreeNodes.first();
  const id = await node.getAttribute('data-obj');
  await node.click();
  await expect(node).toHaveClass(/selected/);
  await expect(page.getByTestId('heap-objects').locator(`tr[data-obj="${id}"]`)).toHaveClass(/selected/);
  await expect(ui.state.inspector).toContainText(`#${id}`);
  await expect(ui.state.inspector).toContainText('rbtree');

  // Selecting a running task shows it in the inspector.
  const chip = ui.state.runningTasks.first();
  const pid = await chip.getAttribute('data-pid');
  await chip.click();
  await expect(ui.state.inspector).toContainText(`pid ${pid}`);
  await expect(ui.state.inspector).toContainText('running');
  await node.click();

  await ui.screenshot(testInfo, 'trace-rbtree', { docs: true });
});

test('step between events, the virtualized events table, and W/S/D zoom and pan', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('rbtree-interactive.scxtrace'), {
    scheduler: 'rbtree',
    workload: 'interactive',
    cpus: 2,
    duration: '50ms',
  });
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.toolbar.openTraceFile(trace);
  await ui.timeline.expectSlicesOnEveryLane(2);
  await ui.timeline.seek(0.25);
  // The events table follows the cursor.
  await expect.poll(() => ui.drawer.scrollTop()).toBeGreaterThan(0);
  const before = await ui.toolbar.timeReadout.textContent();
  await ui.toolbar.stepNext.click();
  await expect(ui.toolbar.timeReadout).not.toHaveText(before!);
  const after = await ui.toolbar.timeReadout.textContent();
  await ui.toolbar.stepPrev.click();
  await expect(ui.toolbar.timeReadout).not.toHaveText(after!);
  await expect(ui.drawer.rows.first()).toBeVisible();
  // The events table is virtualized: far fewer DOM rows than events in view.
  const eventsInView = async () => Number(((await ui.drawer.count.textContent()) ?? '').replace(/[,.\s]/g, '').replace(/[^0-9].*$/, ''));
  await expect.poll(eventsInView).toBeGreaterThan(100);
  const total = await eventsInView();
  expect(await ui.drawer.rows.count()).toBeLessThan(total);
  await ui.screenshot(testInfo, 'trace-events');

  // W zooms in, D pans right, S zooms back out (Perfetto's keys).
  const [a0, a1] = await ui.timeline.view();
  await ui.timeline.holdKey('w', 400);
  await expect.poll(async () => { const [b0, b1] = await ui.timeline.view(); return b1 - b0; }).toBeLessThan(a1 - a0);
  const [c0] = await ui.timeline.view();
  await ui.timeline.holdKey('d', 300);
  await expect.poll(async () => (await ui.timeline.view())[0]).toBeGreaterThan(c0);
  await ui.timeline.holdKey('s', 1500);
  await expect.poll(async () => { const [d0, d1] = await ui.timeline.view(); return d1 - d0; }).toBeGreaterThan((a1 - a0) * 0.9);
});

test('a list-based scheduler shows its BPF list as a chain', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('list-cpu-hogs.scxtrace'), {
    scheduler: 'list',
    workload: 'cpu-hogs',
    cpus: 2,
    duration: '200ms',
  });
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.toolbar.openTraceFile(trace);
  await ui.timeline.expectSlicesOnEveryLane(2);
  await ui.timeline.seek(0.5);
  await expect.poll(() => page.getByTestId('list-chain').locator('[data-obj]').count()).toBeGreaterThan(0);
  await ui.screenshot(testInfo, 'trace-list');

  // Replay: play moves the cursor forward through the recording; pause stops it.
  const at = await ui.toolbar.timeReadout.textContent();
  await ui.toolbar.replayPlay.click();
  await expect(ui.toolbar.timeReadout).not.toHaveText(at!);
  await page.getByRole('button', { name: 'Pause replay' }).click();
  const paused = await ui.toolbar.timeReadout.textContent();
  await page.waitForTimeout(300);
  await expect(ui.toolbar.timeReadout).toHaveText(paused!);
});

test('the bundled example timeline opens in one click from the empty state', async ({ page }) => {
  const ui = new DebuggerPage(page);
  await ui.open();
  await expect(ui.empty.traces.filter({ hasText: 'rbtree-interactive' })).toHaveCount(1);
  await ui.empty.openExampleTrace('rbtree-interactive');
  await expect(page.getByTestId('run-info')).toContainText('rbtree');
  const cpus = Number((await page.getByTestId('run-info').textContent())!.match(/(\d+) CPUs/)![1]);
  await ui.timeline.expectSlicesOnEveryLane(cpus);
  await ui.timeline.seek(0.3);
  await expect(ui.state.runqueues.locator('tbody tr')).toHaveCount(cpus);
});

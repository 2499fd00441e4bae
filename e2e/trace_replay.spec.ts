// Replaying a recorded timeline: open a trace recorded by the CLI with the
// rbtree example, seek, and see the scheduler's BPF rbtree at that instant.
import { expect, test } from '@playwright/test';
import { DebuggerPage } from './pages/debugger_page';
import { recordTrace } from './pages/recorded_trace';

test('open a recorded trace, seek, and the rbtree view shows the nodes', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('rbtree-cpu-hogs.scxtrace'), {
    scheduler: 'rbtree',
    workload: 'cpu-hogs',
    cpus: 2,
    duration: '200ms',
  });
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.toolbar.openTraceFile(trace);
  await expect(page.getByTestId('run-info')).toContainText('rbtree');
  await ui.timeline.expectSlicesOnEveryLane(2);

  await ui.timeline.seek(0.5);
  await expect(ui.toolbar.timeReadout).not.toHaveText('0.000 000 000 s');
  await expect(ui.state.rbtrees.first()).toBeVisible();
  await expect.poll(() => ui.state.rbtreeNodes.count()).toBeGreaterThan(0);
  const labels = await ui.state.rbtreeNodes.locator('text').allTextContents();
  expect(labels.every((l) => /^#\d+/.test(l))).toBe(true);
  // Both CPUs are busy with hogs: each runs a task.
  await expect(ui.state.runningTasks).toHaveCount(2);

  // Selecting a tree node highlights the same object in the heap table.
  const node = ui.state.rbtreeNodes.first();
  const id = await node.getAttribute('data-obj');
  await node.click();
  await expect(node).toHaveClass(/selected/);
  await expect(page.getByTestId('heap-objects').locator(`tr[data-obj="${id}"]`)).toHaveClass(/selected/);

  await ui.screenshot(testInfo, 'trace-rbtree', { docs: true });
});

test('stepping to the next event moves the cursor to an event time', async ({ page }, testInfo) => {
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
  const before = await ui.toolbar.timeReadout.textContent();
  await ui.toolbar.stepNext.click();
  await expect(ui.toolbar.timeReadout).not.toHaveText(before!);
  const after = await ui.toolbar.timeReadout.textContent();
  await ui.toolbar.stepPrev.click();
  await expect(ui.toolbar.timeReadout).not.toHaveText(after!);
  await expect(ui.drawer.rows.first()).toBeVisible();
  await ui.screenshot(testInfo, 'trace-events');
});

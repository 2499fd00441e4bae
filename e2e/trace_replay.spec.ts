// Replaying a recorded timeline: open a trace recorded by the CLI with the
// rbtree example, seek, and see the scheduler's BPF rbtree at that instant;
// the same for the list example's bpf_list_head.
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
  // The events table is virtualized: far fewer DOM rows than events in view.
  const eventsInView = async () => Number(((await ui.drawer.count.textContent()) ?? '').replace(/[,.\s]/g, '').replace(/[^0-9].*$/, ''));
  await expect.poll(eventsInView).toBeGreaterThan(100);
  const total = await eventsInView();
  expect(await ui.drawer.rows.count()).toBeLessThan(total);
  await ui.screenshot(testInfo, 'trace-events');
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
});

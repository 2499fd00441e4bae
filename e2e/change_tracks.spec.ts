// Change over time (#11): the tracks under the CPU lanes for a recorded rbtree
// run and a live list run: object lifetime rows coloured by owner, kptr slot
// rows with xchg ticks, counter rows; hover names the owner, click selects the
// object (the inspector shows it at the clicked instant).
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { DebuggerPage } from './pages/debugger_page';
import { recordTrace } from './pages/recorded_trace';
import { ChangeTracksView, probe, scrollTo, xOf } from './pages/change_tracks';

async function shoot(page: Page, ui: DebuggerPage, testInfo: TestInfo, name: string): Promise<void> {
  for (const [w, h] of [[1600, 1000], [1280, 720]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await expect.poll(() => new ChangeTracksView(page).count('rows')).toBeGreaterThan(0);
    await ui.screenshot(testInfo, `${name}-${w}x${h}`);
  }
}

test('a recorded rbtree run: lifetime, kptr slot and counter tracks; hover names the owner, click selects the object', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('rbtree.scxtrace'), { scheduler: 'rbtree', workload: 'interactive', cpus: 2, duration: '30ms', seed: 3 });
  const ui = new DebuggerPage(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await ui.open();
  await ui.toolbar.openTraceFile(trace);
  const tracks = new ChangeTracksView(page);
  await tracks.expectLoaded();
  expect(await tracks.count('bands')).toBeGreaterThanOrEqual(await tracks.count('objects'));
  // rbtree stashes a task_ctx per task in task storage: one slot row per task, and xchg ticks
  expect(await tracks.count('slots')).toBeGreaterThan(0);
  expect(await tracks.count('xchg')).toBeGreaterThan(0);
  // nodes in the queue root, live objects of both types, DSQ depths
  expect(await tracks.count('counters')).toBeGreaterThanOrEqual(3);
  await expect(tracks.root).toContainText('kptr slots');

  // hover the longest ownership band: the tooltip names its owner
  const o = await probe(tracks, 'obj');
  const oy = await scrollTo(tracks, o.y);
  await tracks.hover(await xOf(tracks, o.t), oy + 5);
  await expect(tracks.tip).toContainText(`obj ${o.what}`);
  await expect(tracks.tip).toContainText(o.extra);
  await shoot(page, ui, testInfo, 'change-tracks-hover');

  // click selects it; the inspector shows it at the clicked instant
  await page.setViewportSize({ width: 1600, height: 1000 });
  const oy2 = await scrollTo(tracks, o.y);
  await tracks.click(await xOf(tracks, o.t), oy2 + 5);
  await expect(tracks.canvas).toHaveAttribute('data-selected', o.what);
  await expect(ui.state.inspector).toBeVisible();
  await expect(ui.state.inspector).toContainText(o.what);

  // clicking an object type's header folds its rows, clicking again unfolds them
  const groups = ((await tracks.canvas.getAttribute('data-groups')) ?? '').split(';');
  const node = groups.find((g) => g.startsWith('struct task_node@'));
  expect(node, groups.join(';')).toBeTruthy();
  const objectsBefore = await tracks.count('objects');
  const rowsH = async () => Number(await tracks.root.locator('.spacer').evaluate((el) => (el as HTMLElement).style.height.replace('px', '')));
  const fullH = await rowsH();
  const hy = await scrollTo(tracks, Number(node!.split('@')[1]));
  await tracks.click(200, hy + 8);
  await expect.poll(rowsH).toBeLessThan(fullH);
  expect(await tracks.count('objects')).toBe(objectsBefore);
  const hy2 = await scrollTo(tracks, Number(node!.split('@')[1]));
  await tracks.click(200, hy2 + 8);
  await expect.poll(rowsH).toBe(fullH);

  // a slot row: hovering it says which object it holds
  const s = await probe(tracks, 'slot');
  const sy = await scrollTo(tracks, s.y);
  await tracks.hover(await xOf(tracks, s.t), sy + 6);
  await expect(tracks.tip).toContainText(s.what);
  await expect(tracks.tip).toContainText(`holds obj ${s.extra}`);
  await shoot(page, ui, testInfo, 'change-tracks-slot');
});

test('a live list run fills the tracks, and zooming the timeline narrows their window', async ({ page }, testInfo) => {
  const ui = new DebuggerPage(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await ui.open();
  await ui.empty.openExample('list');
  await ui.toolbar.chooseRun({ workload: 'interactive', cpus: 2, seed: 5, duration: '50 ms' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).toHaveText('finished', { timeout: 60_000 });
  const tracks = new ChangeTracksView(page);
  await tracks.expectLoaded();
  await expect(tracks.root).toContainText('list');
  await shoot(page, ui, testInfo, 'change-tracks-live-list');
  await page.setViewportSize({ width: 1600, height: 1000 });
  const [a0, a1] = await tracks.window();
  // zoom in on the timeline (wheel over the lanes, as a user would)
  const box = await ui.timeline.canvas.boundingBox();
  if (!box) throw new Error('timeline canvas not laid out');
  await page.mouse.move(box.x + box.width / 2, box.y + 20);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -600);
  await page.keyboard.up('Control');
  await expect.poll(async () => { const [b0, b1] = await tracks.window(); return b1 - b0; }).toBeLessThan(a1 - a0);
  await shoot(page, ui, testInfo, 'change-tracks-live-list-zoomed');
});

test('Ctrl+K search: an object id, a comm and an op jump the cursor and select', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('rbtree.scxtrace'), { scheduler: 'rbtree', workload: 'interactive', cpus: 2, duration: '30ms', seed: 3 });
  const ui = new DebuggerPage(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await ui.open();
  await ui.toolbar.openTraceFile(trace);
  const tracks = new ChangeTracksView(page);
  await tracks.expectLoaded();
  const box = page.getByTestId('search-box');
  const input = page.getByTestId('search-input');
  const hits = page.getByTestId('search-hit');

  // an object allocated after the start: the cursor lands on its allocation and it is selected everywhere
  await page.keyboard.press('Control+k');
  await expect(input).toBeFocused();
  await input.fill('#8');
  await expect(hits).toHaveCount(1);
  await expect(hits.first()).toContainText('obj 8');
  await expect(hits.first()).toContainText('struct task_node');
  const t = Number(await hits.first().getAttribute('data-t'));
  expect(t).toBeGreaterThan(0);
  for (const [w, h] of [[1600, 1000], [1280, 720]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await ui.screenshot(testInfo, `search-object-${w}x${h}`);
  }
  await input.press('Enter');
  await expect(box).toHaveCount(0);
  await expect(tracks.canvas).toHaveAttribute('data-selected', '8');
  await expect(ui.state.inspector).toContainText('#8');
  await expect(page.getByText(/^State at /)).not.toHaveText('State at 0 ns');

  // a comm: the task is selected
  await page.keyboard.press('Control+k');
  await input.fill('batch');
  await expect(hits.first()).toContainText('batch-0');
  await hits.first().click();
  await expect(ui.state.inspector).toContainText('batch-0');
  // the selected task is pinned: its state track is the first row, and hover names state and DSQ
  await expect.poll(() => tracks.canvas.getAttribute('data-task')).not.toBe('');
  const pid = Number(await tracks.canvas.getAttribute('data-task'));
  await expect(ui.state.inspector).toContainText(`pid ${pid}`);
  expect(Number(await tracks.canvas.getAttribute('data-task-steps'))).toBeGreaterThan(0);
  const ty = await scrollTo(tracks, 0);
  const cbox = await tracks.canvas.boundingBox();
  await tracks.hover((cbox?.width ?? 800) * 0.6, ty + 16 + 7);
  await expect(tracks.tip).toContainText(`batch-0 pid ${pid}`);
  await expect(tracks.tip).toContainText(/running|runnable|sleeping/);
  for (const [w, h] of [[1600, 1000], [1280, 720]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await ui.screenshot(testInfo, `pinned-task-${w}x${h}`);
  }
  await page.setViewportSize({ width: 1600, height: 1000 });

  // an op name lists its calls with CPU and time; a kind lists its events
  await page.keyboard.press('Control+k');
  await input.fill('dispatch');
  await expect.poll(() => hits.count()).toBeGreaterThan(0);
  await expect(hits.first()).toContainText('dispatch');
  await input.fill('diagnostic');
  await expect(box).toContainText('Nothing matches');
  await input.press('Escape');
  await expect(box).toHaveCount(0);
});

test('the planted leak: its objects turn red from the leak diagnostic on, and hover says leaked', async ({ page }, testInfo) => {
  const ui = new DebuggerPage(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await ui.open();
  await ui.empty.openExample('buggy-leak');
  await ui.toolbar.chooseRun({ workload: 'interactive', cpus: 2, seed: 5, duration: '50 ms' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).not.toHaveText('running', { timeout: 60_000 });
  const tracks = new ChangeTracksView(page);
  await tracks.expectLoaded();
  await expect.poll(() => tracks.count('leaked')).toBeGreaterThan(0);
  await expect(tracks.root).toContainText('leaked');
  const l = await probe(tracks, 'leak');
  const y = await scrollTo(tracks, l.y);
  await tracks.hover(await xOf(tracks, l.t), y + 5);
  await expect(tracks.tip).toContainText(`obj ${l.what}`);
  await expect(tracks.tip).toContainText('leaked (last held by program leak_enqueue');
  await shoot(page, ui, testInfo, 'change-tracks-leak');
});

// Issue #10, "the timeline tells the truth": each test checks what a user
// sees (canvas pixels, tooltips, the run state, markers, the events table)
// at 1600x1000 and, where layout matters, at 1280x720. Screenshots of every
// view are kept as test artefacts under test-results/.
import { expect, test, type Page } from '@playwright/test';
import { writeFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DebuggerPage } from './pages/debugger_page';
import { recordTrace } from './pages/recorded_trace';

const ROOT = resolve(import.meta.dirname, '..');
const BIG = { width: 1600, height: 1000 };
const SMALL = { width: 1280, height: 720 };

interface Slice {
  cpu: number;
  pid: number;
  start: number;
  end: number;
  merged: number;
}

/** Exact slices from the session (the same API the renderer uses), at 1 µs per pixel: nothing merged. */
async function slicesOf(page: Page, t1: number): Promise<Slice[]> {
  return page.evaluate(async (end) => {
    const api = (window as unknown as { scxray: { request(m: string, p: unknown): Promise<{ ok: boolean; result: Record<string, ArrayLike<number>> }> } }).scxray;
    const r = await api.request('slices', { t0: 0, t1: end, nsPerPx: 1 });
    const s = r.result;
    return Array.from({ length: s.start!.length }, (_, i) => ({
      cpu: s.cpu![i]!,
      pid: s.pid![i]!,
      start: s.start![i]!,
      end: s.end![i]!,
      merged: s.merged![i]!,
    }));
  }, t1);
}

async function runStatus(page: Page): Promise<{ state: string; tNs: number; durationNs: number }> {
  return page.evaluate(async () => {
    const api = (window as unknown as { scxray: { request(m: string, p: unknown): Promise<{ result: { state: string; tNs: number; durationNs: number } }> } }).scxray;
    return (await api.request('runStatus', {})).result;
  });
}

for (const size of [BIG, SMALL]) {
  test(`1. back-to-back slices stay apart, each in its task's colour, tooltip names the lane (${size.width}x${size.height})`, async ({ page }, testInfo) => {
    await page.setViewportSize(size);
    const ui = new DebuggerPage(page);
    await ui.open();
    await ui.empty.openExample('vtime');
    await ui.toolbar.chooseRun({ workload: 'cpu-hogs', cpus: 4, seed: 1, duration: '200 ms' });
    await ui.toolbar.runButton.click();
    await expect(ui.toolbar.runState).toHaveText('finished', { timeout: 60_000 });
    await ui.timeline.expectSlicesOnEveryLane(4);
    const [t0, t1] = await ui.timeline.view();
    const all = await slicesOf(page, t1 + 1);
    const lane = 2;
    const mine = all.filter((s) => s.cpu === lane && s.end > t0 && s.start < t1).sort((a, b) => a.start - b.start);
    expect(mine.length, 'CPU 2 ran several slices').toBeGreaterThanOrEqual(3);
    expect(new Set(mine.map((s) => s.pid)).size, 'CPU 2 ran several tasks').toBeGreaterThan(1);
    const right = await ui.timeline.plotRight();
    const pxPerNs = (right - 64) / (t1 - t0);
    // Every slice on the lane is wider than a pixel here: one rectangle each, none merged.
    expect(mine.every((s) => (s.end - s.start) * pxPerNs >= 1)).toBe(true);
    await expect.poll(async () => (await ui.timeline.rectsPerLane())[lane]).toBe(mine.length);
    expect((await ui.timeline.mergedPerLane())[lane]).toBe(0);

    // Hover the middle of each wide slice: the tooltip names CPU 2 and that slice's task, and the
    // colour under the pointer changes wherever the task does.
    const laneH = await ui.timeline.laneHeight();
    const y = 2 + lane * laneH + laneH / 2;
    let prev: { pid: number; rgb: [number, number, number] } | null = null;
    let changes = 0;
    for (const s of mine.filter((x) => (x.end - x.start) * pxPerNs >= 12)) {
      const x = await ui.timeline.xOf((s.start + s.end) / 2);
      const text = await ui.timeline.hoverText(x, y);
      expect(text).toContain(`CPU ${lane}`);
      expect(text).toContain(String(s.pid));
      const rgb = await ui.timeline.pixel(x, y);
      if (prev && prev.pid !== s.pid) {
        expect(rgb, `pid ${prev.pid} then pid ${s.pid} in different colours`).not.toEqual(prev.rgb);
        changes++;
      }
      prev = { pid: s.pid, rgb };
    }
    expect(changes).toBeGreaterThan(0);
    // Each slice boundary on the lane is visible: the pixel just left of a later slice's start is not the slice's colour.
    await ui.screenshot(testInfo, `slices-${size.width}`);

    // Selecting a task outlines its slices in the highlight colour.
    const pick = mine.find((s) => (s.end - s.start) * pxPerNs >= 12)!;
    const px = await ui.timeline.xOf(pick.start);
    await page.mouse.move(0, 0);
    await ui.timeline.canvas.click({ position: { x: await ui.timeline.xOf((pick.start + pick.end) / 2), y } });
    await expect.poll(() => ui.timeline.pixel(Math.ceil(px) + 1, y)).toEqual([255, 176, 32]);
    await ui.screenshot(testInfo, `slices-selected-${size.width}`);
  });
}

test('2. the events table scrolls to and highlights the event at the cursor, 8 s into a 10 s trace', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize(BIG);
  const trace = recordTrace(testInfo.outputPath('fifo-10s.scxtrace'), { scheduler: 'fifo', workload: 'interactive', cpus: 4, duration: '10s' });
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.toolbar.openTraceFile(trace);
  await ui.timeline.expectSlicesOnEveryLane(4);
  await ui.timeline.seek(0.796);
  const cursor = await ui.timeline.cursor();
  expect(cursor).toBeGreaterThan(7.5e9);
  // The row at (or just after) the cursor is on screen and is that instant's event, not one from 0 s.
  await expect(ui.drawer.cursorRow).toHaveCount(1);
  await expect.poll(() => ui.drawer.cursorRowOnScreen()).toBe(true);
  const rowT = Number(await ui.drawer.cursorRow.getAttribute('data-t'));
  expect(rowT).toBeGreaterThanOrEqual(cursor);
  expect(rowT - cursor).toBeLessThan(0.1e9);
  const firstRowT = Number(await ui.drawer.rows.first().getAttribute('data-t'));
  expect(firstRowT).toBeGreaterThan(7e9);
  await ui.screenshot(testInfo, 'events-follow-cursor');

  // Stepping lands the cursor on that event: the row is now highlighted as the cursor's own.
  await ui.toolbar.stepNext.click();
  await expect.poll(() => ui.timeline.cursor()).toBe(rowT);
  await expect(ui.drawer.table.locator('.row.at-cursor')).toHaveAttribute('data-t', String(rowT));

  // Keyboard: the table is focusable and ↓ moves the cursor to the next row's event.
  await ui.drawer.table.focus();
  const nextRow = ui.drawer.table.locator('.row.at-cursor + .row');
  const nextT = Number(await nextRow.getAttribute('data-t'));
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => ui.timeline.cursor()).toBe(nextT);

  // Back near the start: the table follows there too.
  await ui.timeline.seek(0.05);
  await expect.poll(async () => Number(await ui.drawer.cursorRow.getAttribute('data-t'))).toBeLessThan(1e9);
  await expect.poll(() => ui.drawer.cursorRowOnScreen()).toBe(true);
});

test('3. an ejected scheduler says so: run state, exit kind and reason, markers, Diagnostics count at once', async ({ page }, testInfo) => {
  await page.setViewportSize(BIG);
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.empty.openExample('buggy-bad_dsq');
  await ui.toolbar.chooseRun({ workload: 'interactive', cpus: 2, seed: 1, duration: '200 ms' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).toHaveText('ejected', { timeout: 60_000 });
  await expect(ui.toolbar.runExit).toContainText('SCX_EXIT_ERROR');
  await expect(ui.toolbar.runExit).toContainText('non-existent DSQ');
  // The tab counts without being opened.
  await expect(ui.drawer.diagnosticsTab).toHaveText(/Diagnostics \(\d+\)/);
  await expect(ui.drawer.diagnostics).toHaveCount(0);
  const errorMarker = ui.timeline.markers.and(page.locator('.mark.error')).first();
  await expect(errorMarker).toBeVisible();
  // Absent weak compat kfuncs are expected, not an error: not drawn in the error colour.
  const weak = page.locator('[data-kfunc].absent-weak').first();
  await expect(weak).toContainText('absent: fine');
  await expect(weak).not.toHaveClass(/unresolved/);
  await ui.screenshot(testInfo, 'ejected');
  // Clicking the marker: cursor at its instant, Diagnostics open on it with the program and source line.
  const label = (await errorMarker.getAttribute('aria-label')) ?? '';
  await errorMarker.click();
  await expect(ui.drawer.diagnostics).toBeVisible();
  const focused = ui.drawer.diagnostics.locator('.diag.focused');
  await expect(focused).toHaveCount(1);
  await expect(focused).toContainText('bad_dsq_enqueue');
  const cursor = await ui.timeline.cursor();
  expect(label).toContain('bad_dsq');
  const focusedT = await focused.locator('.t').textContent();
  expect(await ui.toolbar.timeReadout.textContent()).toBe(focusedT);
  expect(cursor).toBeGreaterThan(0);
  await ui.screenshot(testInfo, 'ejected-marker-picked');
});

test('3. leaks show as markers before any tab is opened; picking one selects the leaked object', async ({ page }, testInfo) => {
  await page.setViewportSize(SMALL);
  const trace = recordTrace(testInfo.outputPath('leak.scxtrace'), { scheduler: 'buggy/leak', workload: 'cpu-hogs', cpus: 2, duration: '200ms', allowEjection: true });
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.toolbar.openTraceFile(trace);
  await expect(ui.drawer.diagnosticsTab).toHaveText(/Diagnostics \([1-9]\d*\)/);
  await expect(ui.timeline.markers.first()).toBeVisible();
  // A marker: the cursor goes to its instant and the Diagnostics tab opens on it.
  const marker = ui.timeline.markers.nth(1);
  await marker.click();
  await expect(ui.drawer.diagnostics.locator('.diag.focused')).toHaveCount(1);
  const focusedT = await ui.drawer.diagnostics.locator('.diag.focused .t').textContent();
  expect(await ui.toolbar.timeReadout.textContent()).toBe(focusedT);
  // A leak row names its object; picking it selects that object in the state view.
  const leakRow = ui.drawer.diagnostics.locator('.diag', { hasText: 'returned still owning obj' }).first();
  const obj = /obj (\d+)/.exec((await leakRow.textContent())!)![1];
  await leakRow.click();
  await expect(leakRow).toHaveClass(/focused/);
  await expect(ui.state.inspector).toContainText(`#${obj}`);
  // Leaked from the moment of the leak, not "owned by program … on CPU n".
  await expect(ui.state.inspector.getByTestId('leaked')).toContainText('leaked at');
  await expect(ui.state.inspector).not.toContainText('program leak_enqueue on CPU');
  await ui.screenshot(testInfo, 'leak-marker-picked-1280');
});

test('4. the cursor stays in the recorded part of a live run, paused and after Stop', async ({ page }, testInfo) => {
  await page.setViewportSize(BIG);
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.empty.openExample('fifo');
  await ui.toolbar.chooseRun({ workload: 'interactive', cpus: 16, seed: 3, duration: '20 s' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runProgress).toBeVisible();
  await ui.toolbar.pauseButton.click();
  await expect(ui.toolbar.runState).toHaveText('paused');
  const paused = await runStatus(page);
  expect(paused.tNs).toBeLessThan(paused.durationNs);
  // Click far beyond what was simulated: the cursor stops at the recorded end.
  await ui.timeline.clickAt(0.9);
  await expect.poll(() => ui.timeline.cursor()).toBeGreaterThan(0);
  expect(await ui.timeline.cursor()).toBeLessThanOrEqual(paused.tNs);
  await ui.timeline.seek(0.95);
  expect(await ui.timeline.cursor()).toBeLessThanOrEqual(paused.tNs);
  // The state shown is of an instant the run reached (the panel's data-t), however far it got before the pause.
  await expect
    .poll(async () => {
      const t = await ui.state.root.getAttribute('data-t');
      return t !== null && Number(t) > 0 && Number(t) <= paused.tNs;
    })
    .toBe(true);
  await ui.screenshot(testInfo, 'paused-cursor');
  await page.getByTestId('resume').click();
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(ui.toolbar.runState).toHaveText('stopped');
  const stopped = await runStatus(page);
  // The timeline now ends where the run stopped, and so does the cursor.
  await expect.poll(async () => (await ui.timeline.view())[1]).toBeLessThanOrEqual(stopped.tNs + 1);
  await ui.timeline.clickAt(0.99);
  expect(await ui.timeline.cursor()).toBeLessThanOrEqual(stopped.tNs);
  await ui.screenshot(testInfo, 'stopped-cursor');
});

test('5. 64 CPUs at 1280x720: every lane reachable by scrolling, labels on every lane, groups collapse', async ({ page }, testInfo) => {
  await page.setViewportSize(SMALL);
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.empty.openExample('fifo');
  await ui.toolbar.chooseRun({ workload: 'overload', cpus: 64, seed: 1, duration: '50 ms' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).toHaveText('finished', { timeout: 60_000 });
  expect(await ui.timeline.laneHeight()).toBeGreaterThanOrEqual(14);
  await expect(ui.timeline.lanesScrollbar).toBeVisible();
  const [, lastBefore] = await ui.timeline.visibleLanes();
  expect(lastBefore).toBeLessThan(64);
  await ui.screenshot(testInfo, '64-cpus-top');
  // Wheel over the CPU labels scrolls the lanes down to CPU 63.
  const box = (await ui.timeline.canvas.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + 40);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 400);
  await expect.poll(async () => (await ui.timeline.visibleLanes())[1]).toBe(64);
  const y63 = await ui.timeline.rowY('63');
  expect(y63).toBeGreaterThan(0);
  expect(y63).toBeLessThan(box.height);
  // The lane under the pointer is named (CPU 63), and its label is painted in the gutter.
  const text = await ui.timeline.hoverText(box.width / 2, y63);
  expect(text).toContain('CPU 63');
  const bg = await ui.timeline.pixel(2, y63);
  let ink = 0;
  for (let x = 8; x < 56; x += 1) {
    const p = await ui.timeline.pixel(x, y63);
    if (p.join() !== bg.join()) ink++;
  }
  expect(ink, 'the CPU 63 label is drawn').toBeGreaterThan(5);
  await ui.screenshot(testInfo, '64-cpus-bottom');

  // Groups of 8 CPUs under headers: collapsing one takes its CPUs' rows out, the header stays with its load.
  const rowsBefore = await ui.timeline.rows();
  expect(rowsBefore.filter((r) => r.startsWith('g'))).toHaveLength(8);
  await ui.timeline.lanesScrollbar.evaluate((el) => (el.scrollTop = 0));
  const yG0 = await ui.timeline.rowY('g0');
  expect(await ui.timeline.hoverText(box.width / 2, yG0)).toContain('CPUs 0–7');
  await ui.timeline.canvas.click({ position: { x: 20, y: yG0 } });
  await expect.poll(async () => (await ui.timeline.rows()).length).toBe(rowsBefore.length - 8);
  expect(await ui.timeline.rows()).not.toContain('3');
  // The collapsed header still shows how busy its CPUs were (grey area drawn in its row).
  let grey = 0;
  for (let x = 100; x < box.width - 20; x += 25) {
    const p = await ui.timeline.pixel(x, yG0 + 3);
    if (p.join() !== (await ui.timeline.pixel(30, yG0 + 3)).join()) grey++;
  }
  expect(grey).toBeGreaterThan(5);
  await ui.screenshot(testInfo, '64-cpus-group-collapsed');
  await ui.timeline.canvas.click({ position: { x: 20, y: yG0 } });
  await expect.poll(async () => (await ui.timeline.rows()).length).toBe(rowsBefore.length);
});

test('6. a trace cut off before its first chunk says what is wrong with the file', async ({ page }, testInfo) => {
  await page.setViewportSize(BIG);
  const whole = readFileSync(resolve(ROOT, 'assets', 'traces', 'rbtree-interactive.scxtrace'));
  const jsonLen = whole.readUInt32LE(12);
  const cut = testInfo.outputPath('cut.scxtrace');
  writeFileSync(cut, whole.subarray(0, 20 + jsonLen + 10));
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.toolbar.openTraceFile(cut);
  await expect(ui.banner.root).toBeVisible();
  await expect(ui.banner.root).toContainText('cut.scxtrace');
  await expect(ui.banner.root).toContainText('ends before its first whole chunk of events');
  await expect(ui.banner.root).not.toContainText('dbg');
  await expect(ui.timeline.canvas).toHaveCount(0);
  await ui.screenshot(testInfo, 'truncated-trace');
});

test('stepping goes event by event through one instant; Shift+step goes by instant', async ({ page }, testInfo) => {
  await page.setViewportSize(BIG);
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.empty.openExampleTrace('rbtree-interactive');
  await ui.timeline.expectSlicesOnEveryLane(2).catch(() => undefined);
  // An instant with several events, from the session itself.
  const busy = await page.evaluate(async () => {
    const api = (window as unknown as { scxray: { request(m: string, p: unknown): Promise<{ result: { events: { t: number }[] } }> } }).scxray;
    const r = await api.request('events', { t0: 0, t1: 1e12, limit: 5000 });
    const n = new Map<number, number>();
    for (const e of r.result.events) n.set(e.t, (n.get(e.t) ?? 0) + 1);
    const hit = [...n].find(([t, c]) => c >= 4 && t > 0);
    return hit ? { t: hit[0], count: hit[1] } : null;
  });
  expect(busy).not.toBeNull();
  // Put the cursor just before it, then step onto it.
  const before = busy!.t - 1;
  await page.evaluate(() => undefined);
  await ui.timeline.seek(0);
  for (let i = 0; i < 400 && (await ui.timeline.cursor()) < busy!.t; i++) {
    // Shift+step (by instant) to get there quickly; wait for each step to land before the next click, or a click
    // queued behind a slow step is taken from the instant that step reaches and jumps past the one we want.
    const from = await ui.timeline.cursor();
    await ui.toolbar.stepNext.click({ modifiers: ['Shift'] });
    await expect.poll(() => ui.timeline.cursor()).not.toBe(from);
  }
  expect(before).toBeLessThan(busy!.t);
  expect(await ui.timeline.cursor()).toBe(busy!.t);
  const rowIndex = async () => Number(await ui.drawer.table.locator('.row.at-cursor').getAttribute('aria-rowindex'));
  await expect(ui.drawer.table.locator('.row.at-cursor')).toHaveCount(1);
  const first = await rowIndex();
  // Plain steps stay on the instant, one event at a time.
  for (let k = 1; k < busy!.count; k++) {
    await ui.toolbar.stepNext.click();
    await expect.poll(rowIndex).toBe(first + k);
    expect(await ui.timeline.cursor()).toBe(busy!.t);
  }
  await ui.screenshot(testInfo, 'step-by-event');
  // One more leaves it; step back returns to its last event.
  await ui.toolbar.stepNext.click();
  await expect.poll(() => ui.timeline.cursor()).toBeGreaterThan(busy!.t);
  await ui.toolbar.stepPrev.click();
  await expect.poll(() => ui.timeline.cursor()).toBe(busy!.t);
  await expect.poll(rowIndex).toBe(first + busy!.count - 1);
  // Keyboard: ← on the timeline steps back one event.
  await ui.timeline.canvas.focus();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(rowIndex).toBe(first + busy!.count - 2);
});

test('globals show the values at the cursor, changed ones marked, not the ELF initial values', async ({ page }, testInfo) => {
  await page.setViewportSize(BIG);
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.empty.openExample('fifo');
  await ui.toolbar.chooseRun({ workload: 'interactive', cpus: 2, seed: 1, duration: '200 ms' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).toHaveText('finished', { timeout: 60_000 });
  const globals = page.getByTestId('globals-at-cursor');
  const valueOf = async (name: string) => Number(await globals.locator(`tr[data-global="${name}"] td.value`).textContent().then((t) => t!.replace('●', '').trim()));
  // Late in the run fifo has counted its dispatches: the values moved off their initial 0 and are marked changed.
  await ui.timeline.seek(0.95);
  await expect(globals).toBeVisible();
  await expect.poll(async () => (await valueOf('nr_direct')) + (await valueOf('nr_global'))).toBeGreaterThan(0);
  await expect(globals.locator('tr.changed').first()).toBeVisible();
  const late = (await valueOf('nr_direct')) + (await valueOf('nr_global'));
  // The SchedulerPanel still lists the initial values; the state view does not repeat them as live.
  await ui.timeline.seek(0);
  await expect.poll(async () => (await valueOf('nr_direct')) + (await valueOf('nr_global'))).toBeLessThan(late);
  // Empty cards collapse into one line.
  await expect(page.getByTestId('empty-cards')).toContainText('no stashed kptrs');
  await ui.timeline.seek(0.95);
  await expect.poll(() => ui.drawer.cursorRowOnScreen()).toBe(true);
  await ui.screenshot(testInfo, 'globals-at-cursor');
});

test('theme toggle: dark mode keeps unselected slices visible; the toolbar fits one row at 1280x720', async ({ page }, testInfo) => {
  await page.setViewportSize(SMALL);
  const ui = new DebuggerPage(page);
  await ui.open();
  const theme = page.getByTestId('theme');
  for (let i = 0; i < 3 && (await theme.getAttribute('data-theme')) !== 'dark'; i++) await theme.click();
  await expect(theme).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim())).toBe('#17191d');
  await ui.empty.openExample('vtime');
  await ui.toolbar.chooseRun({ workload: 'cpu-hogs', cpus: 4, seed: 1, duration: '200 ms' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).toHaveText('finished', { timeout: 60_000 });
  await ui.timeline.expectSlicesOnEveryLane(4);
  // One toolbar row: the time readout and theme picker are on screen, not wrapped below.
  const bar = (await ui.toolbar.root.boundingBox())!;
  expect(bar.height).toBeLessThan(44);
  for (const el of [ui.toolbar.timeReadout, theme]) {
    const b = (await el.boundingBox())!;
    expect(b.x + b.width).toBeLessThanOrEqual(SMALL.width);
    expect(b.y).toBeLessThan(bar.y + bar.height);
  }
  const [t0, t1] = await ui.timeline.view();
  const slices = (await slicesOf(page, t1 + 1)).filter((s) => s.end > t0 && s.start < t1 && s.pid > 0);
  const laneH = await ui.timeline.laneHeight();
  const at = async (s: Slice) => ({ x: await ui.timeline.xOf((s.start + s.end) / 2), y: 2 + s.cpu * laneH + laneH / 2 });
  const picked = slices.find((s) => s.end - s.start > (t1 - t0) / 40)!;
  const other = slices.find((s) => s.pid !== picked.pid && s.end - s.start > (t1 - t0) / 40)!;
  const p = await at(picked);
  await ui.timeline.canvas.click({ position: p });
  await page.mouse.move(0, 0);
  const o = await at(other);
  await expect.poll(async () => Math.max(...(await ui.timeline.pixel(o.x, o.y)))).toBeGreaterThanOrEqual(60);
  const bg = await ui.timeline.pixel(o.x, 2 + 3 * laneH + laneH + 4 > (await ui.timeline.canvas.boundingBox())!.height ? 1 : 2 + 4 * laneH + 2);
  expect(Math.max(...bg)).toBeLessThan(60);
  await ui.screenshot(testInfo, 'dark-selection-1280');
});

test('an opened trace beside an unrelated object says so; heap rows are reachable by keyboard', async ({ page }, testInfo) => {
  await page.setViewportSize(BIG);
  const ui = new DebuggerPage(page);
  await ui.open();
  const trace = recordTrace(testInfo.outputPath('rbtree.scxtrace'), { scheduler: 'rbtree', workload: 'interactive', cpus: 2, duration: '100ms' });
  await ui.toolbar.openTraceFile(trace);
  await ui.timeline.expectSlicesOnEveryLane(2);
  await expect(page.getByTestId('object-mismatch')).toHaveCount(0);
  // The trace's own scheduler: no warning; another one: a warning naming both files.
  await ui.toolbar.openObjectFile(resolve(ROOT, 'assets', 'schedulers', 'fifo.bpf.o'));
  await expect(page.getByTestId('object-mismatch')).toContainText('fifo.bpf.o');
  await expect(page.getByTestId('object-mismatch')).toContainText('rbtree.bpf.o');
  await ui.toolbar.openObjectFile(resolve(ROOT, 'assets', 'schedulers', 'rbtree.bpf.o'));
  await expect(page.getByTestId('object-mismatch')).toHaveCount(0);
  // Heap rows: Tab-reachable, Enter selects.
  await ui.timeline.seek(0.5);
  const row = ui.state.heapRows.first();
  await expect(row).toBeVisible();
  await row.focus();
  await page.keyboard.press('Enter');
  await expect(row).toHaveClass(/selected/);
  await expect(ui.state.inspector).toBeVisible();
  // "(as of …)" for replayed heap fields sits on its own line, not glued to the value and cut off.
  const asof = ui.state.heapRows.locator('.asof').first();
  if ((await asof.count()) > 0) {
    expect(await asof.evaluate((el) => getComputedStyle(el).display)).toBe('block');
    const cell = await asof.evaluate((el) => {
      const td = el.closest('td')!;
      return { scroll: td.scrollWidth, client: td.clientWidth };
    });
    expect(cell.scroll).toBeLessThanOrEqual(cell.client + 1);
  }
  await ui.screenshot(testInfo, 'trace-with-object');
});

test('an rbtree of 60+ nodes at 1280x720: labels at least 11 px, every node reachable inside the card', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize(SMALL);
  const trace = recordTrace(testInfo.outputPath('rbtree-32.scxtrace'), { scheduler: 'rbtree', workload: 'overload', cpus: 32, duration: '60ms' });
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.toolbar.openTraceFile(trace);
  await ui.timeline.seek(0.5);
  // At 1280x720 the state view shares the height with the change-over-time tracks: fold those away.
  const changeToggle = page.getByTestId('change-tracks').getByRole('button', { name: /Change over time/ });
  if ((await changeToggle.count()) > 0 && (await changeToggle.getAttribute('aria-expanded')) === 'true') await changeToggle.click();
  await page.getByRole('button', { name: 'Toggle drawer' }).click();
  const tree = ui.state.rbtrees.first();
  await expect(tree).toBeVisible();
  const nodes = tree.locator('g.node');
  await expect.poll(() => nodes.count()).toBeGreaterThanOrEqual(60);
  // Rendered label size: font-size times the SVG's scale on screen.
  const smallest = await tree.locator('svg').evaluate((svg: SVGSVGElement) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return Math.min(...Array.from(svg.querySelectorAll('text'), (t) => parseFloat(getComputedStyle(t).fontSize) * scale));
  });
  expect(smallest).toBeGreaterThanOrEqual(11);
  // The last node can be brought into view (the card scrolls) and selected.
  const last = nodes.last();
  await last.scrollIntoViewIfNeeded();
  await last.click();
  await expect(last).toHaveClass(/selected/);
  await ui.screenshot(testInfo, 'rbtree-60-nodes-1280');
});

test('an e2e screenshot marked for the README does not overwrite the tracked docs/screenshot.png', async ({ page }, testInfo) => {
  test.skip(process.env.SCXRAY_REFRESH_DOCS_SCREENSHOT === '1', 'refreshing the README image on purpose');
  const docs = resolve(ROOT, 'docs', 'screenshot.png');
  const before = readFileSync(docs);
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.screenshot(testInfo, 'readme-candidate', { docs: true });
  expect(readFileSync(testInfo.outputPath('readme-candidate.png')).length).toBeGreaterThan(0);
  expect(readFileSync(docs).equals(before)).toBe(true);
});

test('map entries show at the cursor beside the globals', async ({ page }, testInfo) => {
  await page.setViewportSize(BIG);
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.empty.openExample('cgweight');
  await ui.toolbar.chooseRun({ workload: 'cgroups', cpus: 2, seed: 1, duration: '50 ms' });
  await ui.toolbar.runButton.click();
  await expect(ui.toolbar.runState).toHaveText('finished', { timeout: 60_000 });
  await ui.timeline.seek(0.99);
  const map = page.getByTestId('maps-at-cursor').locator('[data-map="cgrp_ctxs"]');
  await expect(map).toContainText('hash');
  await expect.poll(() => map.locator('tbody tr').count()).toBeGreaterThan(0);
  await ui.screenshot(testInfo, 'maps-at-cursor');
});

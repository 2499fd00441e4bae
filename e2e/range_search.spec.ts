// Range selection, range aggregates and search (#11): Shift+drag on the CPU
// lanes selects a range (a plain drag still pans), shaded over the lanes and
// the change tracks; the Range tab's tables hold exactly what
// `scxray replay TRACE --summary --from T0 --to T1 --json` prints for that
// range; Esc clears it. Ctrl+K finds kptr slots and graph roots by name and
// source file:line (jumping to the next event at that line and opening the
// source pane there).
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import type { RangeSummary } from '../src/protocol/range_summary';
import { formatDuration } from '../src/renderer/lib/format';
import { DebuggerPage } from './pages/debugger_page';
import { recordTrace } from './pages/recorded_trace';
import { RangePanelView } from './pages/range_panel';

const ROOT = resolve(import.meta.dirname, '..');
const RBTREE = resolve(ROOT, 'assets', 'schedulers', 'rbtree.bpf.o');

function cliSummary(trace: string, t0: number, t1: number): RangeSummary {
  const r = spawnSync(process.execPath, [resolve(ROOT, 'bin', 'scxray.mjs'), 'replay', trace, '--summary', '--from', `${t0}ns`, '--to', `${t1}ns`, '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`scxray replay --summary failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as RangeSummary;
}

async function shoot(page: Page, ui: DebuggerPage, testInfo: TestInfo, name: string): Promise<void> {
  for (const [w, h] of [[1600, 1000], [1280, 720]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(300);
    await ui.screenshot(testInfo, `${name}-${w}x${h}`);
    copyFileSync(testInfo.outputPath(`${name}-${w}x${h}.png`), `/tmp/${name}-${w}x${h}.png`);
  }
}

async function openRbtree(page: Page, testInfo: TestInfo, withObject = false): Promise<{ ui: DebuggerPage; trace: string }> {
  const trace = recordTrace(testInfo.outputPath('rbtree.scxtrace'), { scheduler: 'rbtree', workload: 'interactive', cpus: 2, duration: '30ms', seed: 3 });
  const ui = new DebuggerPage(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await ui.open();
  if (withObject) await ui.toolbar.openObjectFile(RBTREE);
  await ui.toolbar.openTraceFile(trace);
  await expect.poll(async () => Number(await ui.timeline.canvas.getAttribute('data-slices')), { timeout: 20_000 }).toBeGreaterThan(0);
  return { ui, trace };
}

test('Shift+drag selects a range; the Range tab equals scxray replay --summary for it; Esc clears it', async ({ page }, testInfo) => {
  const { ui, trace } = await openRbtree(page, testInfo);
  const range = new RangePanelView(page);
  const view = async () => (await ui.timeline.canvas.getAttribute('data-view')) ?? '';

  // zoomed in, a plain drag pans and selects nothing
  await ui.timeline.canvas.hover();
  await page.mouse.wheel(0, -400);
  await expect.poll(view).not.toBe('0,30000000');
  const zoomed = await view();
  const [v0, v1] = zoomed.split(',').map(Number) as [number, number];
  await range.drag(ui.timeline, v0 + (v1 - v0) * 0.6, v0 + (v1 - v0) * 0.3, { shift: false });
  await expect.poll(view).not.toBe(zoomed);
  await expect(range.shade).toHaveCount(0);

  // back to the whole run; Shift+drag from 8 ms to 21 ms selects, and the view stays where it is
  await ui.timeline.canvas.focus();
  await page.keyboard.down('s');
  await expect.poll(view, { timeout: 10_000 }).toBe('0,30000000');
  await page.keyboard.up('s');
  await range.drag(ui.timeline, 8e6, 21e6);
  expect(await view()).toBe('0,30000000');
  await expect(range.shade).toBeVisible();
  await expect(range.changeShade).toBeVisible();
  await expect(range.tab).toHaveAttribute('aria-selected', 'true');
  const [t0, t1] = await range.shown();
  // the pixel the drag ended on is within one pixel's time of the instants aimed at
  const nsPerPx = 30e6 / ((await ui.timeline.plotRight()) - 64);
  expect(Math.abs(t0 - 8e6)).toBeLessThanOrEqual(nsPerPx);
  expect(Math.abs(t1 - 21e6)).toBeLessThanOrEqual(nsPerPx);

  // every row equals the CLI's JSON for the same range
  const cli = cliSummary(trace, t0, t1);
  expect(cli.t0).toBe(t0);
  expect(cli.t1).toBe(t1);
  const tasks = await range.rows(range.tasks, ['pid', 'runtime', 'wait', 'runs', 'wakeups', 'p50', 'p90', 'p99', 'max']);
  expect(cli.tasks.length).toBeGreaterThan(3);
  expect(tasks).toEqual(cli.tasks.map((t) => ({
    pid: String(t.pid), runtime: String(t.runtimeNs), wait: String(t.waitNs), runs: String(t.runs), wakeups: String(t.wakeLatencyNs.samples),
    p50: String(t.wakeLatencyNs.p50), p90: String(t.wakeLatencyNs.p90), p99: String(t.wakeLatencyNs.p99), max: String(t.wakeLatencyNs.max),
  })));
  expect(await range.rows(range.ops, ['op', 'calls', 'insns'])).toEqual(cli.ops.map((o) => ({ op: o.op, calls: String(o.calls), insns: String(o.insns) })));
  expect(await range.rows(range.lines, ['file', 'line', 'alloc', 'move', 'free'])).toEqual(cli.lines.map((l) => ({ file: l.file, line: String(l.line), alloc: String(l.alloc), move: String(l.move), free: String(l.free) })));
  expect(cli.dsqs.length).toBeGreaterThan(0);
  expect(await range.rows(range.dsqs, ['dsq', 'max', 'start', 'inserts'])).toEqual(cli.dsqs.map((d) => ({ dsq: d.dsq, max: String(d.maxDepth), start: String(d.startDepth), inserts: String(d.inserts) })));
  // and what the cells show is those numbers
  const top = cli.tasks[0]!;
  await expect(range.tasks.first().locator('td').nth(1)).toHaveText(formatDuration(top.runtimeNs));
  await expect(range.tasks.first().locator('td').nth(3)).toHaveText(String(top.runs));
  await expect(range.ops.first().locator('td').nth(1)).toHaveText(cli.ops[0]!.calls.toLocaleString('en-US'));
  await expect(range.dsqs.first().locator('td').nth(1)).toHaveText(String(cli.dsqs[0]!.maxDepth));
  await shoot(page, ui, testInfo, 'range-aggregates');
  // at 1280x720 (where shoot left it) every table fits its column: nothing is cut off
  const cut = await page.getByTestId('range-panel').locator('section').evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.getAttribute('aria-label')));
  expect(cut).toEqual([]);

  // sorting by wait puts the longest wait first; clicking a row selects that task
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.getByTestId('range-tasks').getByRole('button', { name: 'wait' }).click();
  const longestWait = [...cli.tasks].sort((a, b) => b.waitNs - a.waitNs || a.pid - b.pid)[0]!;
  await expect(range.tasks.first()).toHaveAttribute('data-pid', String(longestWait.pid));
  await range.tasks.first().click();
  await expect(range.tasks.first()).toHaveClass(/selected/);

  // Esc clears the range: no shade, the tab says how to select one
  await ui.timeline.canvas.focus();
  await page.keyboard.press('Escape');
  await expect(range.shade).toHaveCount(0);
  await expect(range.changeShade).toHaveCount(0);
  await expect(range.panel).toContainText('Shift+drag across the CPU lanes');
});

test('search: part of a kptr slot or root name jumps to its first change and selects the object moved', async ({ page }, testInfo) => {
  const { ui } = await openRbtree(page, testInfo);
  const box = page.getByTestId('search-box');
  const hits = page.getByTestId('search-hit');

  await page.keyboard.press('Control+k');
  await page.getByTestId('search-input').fill('task_stashes');
  await expect(hits.first()).toContainText('slot');
  await expect(hits.first()).toContainText('kptr slot map task_stashes[pid');
  const t = Number(await hits.first().getAttribute('data-t'));
  const obj = /obj (\d+) (?:put in|taken out)/.exec((await hits.first().textContent()) ?? '')![1]!;
  await ui.screenshot(testInfo, 'search-slot');
  await page.keyboard.press('Enter');
  await expect(box).toHaveCount(0);
  expect(await ui.timeline.cursor()).toBe(t);
  await expect(page.getByTestId('change-canvas')).toHaveAttribute('data-selected', obj);

  await page.keyboard.press('Control+k');
  await page.getByTestId('search-input').fill('queue');
  await expect(hits.filter({ hasText: 'rbtree .data.queue.queue' })).toHaveCount(1);
  const root = hits.filter({ hasText: 'rbtree .data.queue.queue' });
  const rt = Number(await root.getAttribute('data-t'));
  await root.click();
  expect(await ui.timeline.cursor()).toBe(rt);
});

test('search: file:line jumps to the next event that line caused and opens the source pane there', async ({ page }, testInfo) => {
  const { ui } = await openRbtree(page, testInfo, true);
  // the cursor somewhere in the middle: the first hit is the next bpf_obj_new after it
  await ui.timeline.canvas.click({ position: { x: Math.round(await ui.timeline.xOf(12e6)), y: Math.round(await ui.timeline.rowY('0')) } });
  const cursor = await ui.timeline.cursor();
  expect(cursor).toBeGreaterThan(11e6);
  await page.keyboard.press('Control+k');
  await page.getByTestId('search-input').fill('rbtree.bpf.c:116');
  const hits = page.getByTestId('search-hit');
  await expect(hits.first()).toContainText('line');
  await expect(hits.first()).toContainText('rbtree.bpf.c:116');
  const ts = (await hits.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-t')))));
  const next = ts[0]!;
  expect(next).toBeGreaterThan(cursor);
  // the hits after the cursor come in time order, the next one first
  const after = ts.filter((x) => x > cursor);
  expect(ts.slice(0, after.length)).toEqual([...after].sort((a, b) => a - b));
  await shoot(page, ui, testInfo, 'search-line');
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.keyboard.press('Enter');
  expect(await ui.timeline.cursor()).toBe(next);
  const source = page.getByTestId('debug-panel').locator('.source-pane');
  await expect(source).toBeVisible();
  await expect(source).toHaveAttribute('data-current-line', '116');
  await expect(source.locator('.cm-debug-current')).toContainText('bpf_obj_new(struct task_node)');
  // the object that line allocated is selected
  await expect(page.getByTestId('change-canvas')).toHaveAttribute('data-selected', /\d+/);
});

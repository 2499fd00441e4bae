// Flows, cross-selection and kick/preemption markers (#11). Traces are
// recorded with the real CLI; the truth they are checked against is read from
// the same file with the trace reader, not from the UI.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SimEvent } from '../src/model/events';
import { TraceReader } from '../src/sim/trace/reader';
import { DebuggerPage } from './pages/debugger_page';
import { FlowsView } from './pages/flows';
import { ChangeTracksView } from './pages/change_tracks';
import { recordTrace } from './pages/recorded_trace';

const ROOT = resolve(import.meta.dirname, '..');
const KICK_SELF = resolve(ROOT, 'test', 'bpf', 'build', 'sim', 'kick_self.bpf.o');
const LEAK = resolve(ROOT, 'assets', 'schedulers', 'buggy', 'leak.bpf.o');

function eventsOf(trace: string): SimEvent[] {
  const r = TraceReader.open(trace);
  try {
    return r.events(0, Infinity);
  } finally {
    r.close();
  }
}

/** Screenshots at both sizes, as test artifacts (and copied to $SCXRAY_SHOTS when set, for a look by hand). */
async function shoot(page: Page, ui: DebuggerPage, testInfo: TestInfo, name: string): Promise<void> {
  for (const [w, h] of [[1600, 1000], [1280, 720]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await expect.poll(() => new FlowsView(page).count('nodes')).toBeGreaterThan(0);
    await ui.screenshot(testInfo, `${name}-${w}x${h}`);
    const dir = process.env.SCXRAY_SHOTS;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      copyFileSync(testInfo.outputPath(`${name}-${w}x${h}.png`), resolve(dir, `${name}-${w}x${h}.png`));
    }
  }
  await page.setViewportSize({ width: 1600, height: 1000 });
}

async function openTrace(page: Page, trace: string): Promise<DebuggerPage> {
  const ui = new DebuggerPage(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await ui.open();
  await ui.toolbar.openTraceFile(trace);
  await expect(ui.timeline.canvas).toHaveAttribute('data-slices', /[1-9]/, { timeout: 20_000 });
  return ui;
}

/** Moves the cursor to fraction `f` of the plot by clicking the axis (selects nothing). */
async function pickInstant(ui: DebuggerPage, f: number): Promise<void> {
  const right = await ui.timeline.plotRight();
  await ui.timeline.axis.click({ position: { x: 64 + f * (right - 64), y: 10 } });
}

test('a task flow: wakeup → enqueue → dispatch → run arrows at each switch to the task; hover names both ends, click moves the cursor', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('rbtree.scxtrace'), { scheduler: 'rbtree', workload: 'interactive', cpus: 2, duration: '30ms', seed: 3 });
  const ui = await openTrace(page, trace);
  const flows = new FlowsView(page);
  // pick an instant, then the running task that runs most often (its chip in the runqueues)
  await pickInstant(ui, 0.5);
  await expect(ui.state.runningTasks.first()).toBeVisible();
  const events = eventsOf(trace);
  const runsOf = (p: number) => events.filter((e) => e.kind === 'switch' && e.nextPid === p).length;
  const pids = await ui.state.runningTasks.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-pid'))));
  const pid = pids.sort((a, b) => runsOf(b) - runsOf(a))[0]!;
  expect(runsOf(pid)).toBeGreaterThan(2);
  await ui.state.runningTasks.and(page.locator(`[data-pid="${pid}"]`)).click();
  await flows.expectShown(`task ${pid}`);

  // one endpoint with a 'run' step per switch to the task, at its time and CPU (the whole trace is in view)
  const truth = events.filter((e) => e.kind === 'switch' && e.nextPid === pid) as (SimEvent & { kind: 'switch' })[];
  const ends = await flows.endpoints();
  const runs = ends.filter((n) => n.kinds.includes('run'));
  expect(runs.length).toBe(truth.length);
  for (const n of runs) expect(truth.some((e) => e.cpu === n.cpu && Math.abs(e.t - n.t) < 1e5)).toBe(true);
  expect(ends.some((n) => n.kinds.includes('wakeup'))).toBe(true);
  expect(ends.some((n) => n.kinds.includes('enqueue'))).toBe(true);

  // zoom in on one chain until one of its arrows is long enough to point at
  const run = runs[Math.floor(runs.length / 2)]!;
  // between the two lanes, where no endpoint sits
  const lanes = (await ui.timeline.canvas.boundingBox())!;
  await page.mouse.move(lanes.x + (await ui.timeline.xOf(run.t)), lanes.y + 2 + (await ui.timeline.laneHeight()));
  const right = await ui.timeline.plotRight();
  let a = -1;
  for (let i = 0; i < 30 && a < 0; i++) {
    await page.mouse.wheel(0, -150);
    await page.waitForTimeout(250);
    a = await flows.longArrow(64, right, 40);
  }
  expect(a, 'an arrow of 40 px or more inside the plot').toBeGreaterThanOrEqual(0);
  await flows.hoverArrow(a);
  await expect(flows.tip).toBeVisible();
  const label = (await flows.arrows.nth(a).getAttribute('aria-label'))!;
  await expect(flows.tip).toHaveText(label);
  expect(label).toMatch(/CPU \d .*→.* CPU \d/);
  await shoot(page, ui, testInfo, 'flows-task');

  // clicking an endpoint moves the cursor to its instant
  const plot = (await ui.timeline.canvas.boundingBox())!;
  const boxes = await flows.nodes.evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 })));
  const i = boxes.findIndex((b) => b.x > plot.x + 70 && b.x < plot.x + right - 10);
  expect(i).toBeGreaterThanOrEqual(0);
  const t = Number(await flows.nodes.nth(i).getAttribute('data-t'));
  await page.mouse.click(boxes[i]!.x, boxes[i]!.y);
  await expect.poll(() => ui.timeline.cursor()).toBe(t);
});

test('an object flow: an rbtree node allocated, added, removed and dropped, on the lanes and on its change-track row', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('rbtree-obj.scxtrace'), { scheduler: 'rbtree', workload: 'overload', cpus: 2, duration: '30ms', seed: 3 });
  const ui = await openTrace(page, trace);
  const flows = new FlowsView(page);
  await pickInstant(ui, 0.5);
  await expect(ui.state.rbtreeNodes.first()).toBeVisible();
  const id = Number(await ui.state.rbtreeNodes.first().getAttribute('data-obj'));
  await ui.state.rbtreeNodes.first().click();
  await flows.expectShown(`obj ${id}`);

  const truth = eventsOf(trace).filter((e) => (e.kind === 'obj_new' || e.kind === 'obj_owner' || e.kind === 'obj_free') && e.obj === id);
  // the steps: obj_new's hand-over to its program is the allocation, then one per change of owner, and the free
  expect(await flows.count('steps')).toBe(truth.filter((e) => e.kind !== 'obj_new').length);
  const kinds = (await flows.endpoints()).flatMap((n) => n.kinds);
  expect(kinds).toContain('alloc');
  expect(kinds).toContain('add');
  // the change tracks mark the same steps on the object's row
  const tracks = new ChangeTracksView(page);
  await expect(tracks.canvas).toHaveAttribute('data-selected', String(id));
  await expect(tracks.canvas).toHaveAttribute('data-flow-steps', String(await flows.count('steps')));
  await shoot(page, ui, testInfo, 'flows-object');
});

test('cross-selection: an events row, a lane slice, an rbtree node task field and a diagnostic select what they name', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('rbtree-x.scxtrace'), { scheduler: 'rbtree', workload: 'overload', cpus: 2, duration: '20ms', seed: 3 });
  const ui = await openTrace(page, trace);
  const inspector = ui.state.inspector;

  // an events-table row: a switch selects the task switched in, an ownership change its object
  await pickInstant(ui, 0.4);
  await ui.drawer.filterKind('switch');
  const sw = ui.drawer.rows.first();
  await sw.click();
  await expect(inspector).toBeVisible();
  await expect(inspector).toContainText(/pid \d+/);
  await ui.drawer.filterKind('obj_owner');
  const row = ui.drawer.rows.first();
  const obj = /#(\d+)/.exec((await row.textContent()) ?? '')![1]!;
  await row.click();
  await expect(inspector).toContainText(`#${obj}`);

  // a lane slice selects its task: find one under the pointer (with nothing selected, so no flow is drawn over it)
  await inspector.getByRole('button', { name: 'Clear selection' }).click();
  await expect(page.getByTestId('flow-overlay')).toHaveCount(0);
  const y = await ui.timeline.rowY('0');
  const right = await ui.timeline.plotRight();
  const lanes = (await ui.timeline.canvas.boundingBox())!;
  let hit: RegExpExecArray | null = null;
  let x = 70;
  for (; x < right && !hit; x += 7) {
    await page.mouse.move(lanes.x + x, lanes.y + y);
    hit = /\((\d+)\) · /.exec((await ui.timeline.tooltip.textContent().catch(() => '')) ?? '');
  }
  expect(hit, 'a run slice on CPU 0').not.toBeNull();
  await ui.timeline.canvas.click({ position: { x: x - 7, y } });
  await expect(inspector).toContainText(`pid ${hit![1]}`);

  // an rbtree node's pid field links to its task. Replay knows field values as of the last keyframe, so look for an
  // instant (the cursor's, read back) where the trace itself shows a node in the tree with its pid field.
  const long = recordTrace(testInfo.outputPath('rbtree-long.scxtrace'), { scheduler: 'rbtree', workload: 'overload', cpus: 4, duration: '1200ms', seed: 3 });
  await ui.toolbar.openTraceFile(long);
  const reader = TraceReader.open(long);
  let linked = false;
  try {
    expect(reader.chunkCount).toBeGreaterThan(1);
    for (let f = 0.5; f < 1 && !linked; f += 0.03) {
      await pickInstant(ui, f);
      const c = await ui.timeline.cursor();
      const snap = reader.stateAt(c);
      const inTree = new Set(snap.roots.flatMap((r) => r.nodes));
      const node = snap.heap.find((o) => inTree.has(o.id) && Number(o.fields.pid) > 0);
      if (!node) continue;
      await ui.state.rbtrees.locator(`g.node[data-obj="${node.id}"]`).click();
      const link = page.getByTestId('task-field-link').locator('[data-pid]');
      await expect(link).toHaveAttribute('data-pid', node.fields.pid!);
      await link.click();
      await expect(inspector).toContainText(`pid ${node.fields.pid}`);
      linked = true;
    }
  } finally {
    reader.close();
  }
  expect(linked, 'an instant with a node whose pid field the trace knows').toBe(true);
  await ui.screenshot(testInfo, 'cross-selection');
});

test('a diagnostic selects its object, its program (scheduler panel) and its source line', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('leak.scxtrace'), { object: LEAK, workload: 'interactive', cpus: 2, duration: '20ms' });
  const ui = new DebuggerPage(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await ui.open();
  await ui.toolbar.openObjectFile(LEAK);
  await ui.toolbar.openTraceFile(trace);
  await ui.drawer.diagnosticsTab.click();
  const first = ui.drawer.diagnostics.locator('button.diag').first();
  await expect(first).toContainText('leak');
  const text = (await first.textContent()) ?? '';
  const obj = /obj #?(\d+)/.exec(text)![1]!;
  await first.click();
  await expect(ui.state.inspector).toContainText(`#${obj}`);
  const leak = eventsOf(trace).find((e) => e.kind === 'diagnostic' && e.diag.kind === 'leak') as SimEvent & { kind: 'diagnostic' };
  await expect(page.locator('[data-testid="ops-list"] li.focused')).toHaveAttribute('data-program', leak.diag.program!);
  await expect(page.getByTestId('debug-panel')).toBeVisible();
  await ui.screenshot(testInfo, 'diagnostic-selection');
});

test('kick and preemption markers: hover names CPUs, tasks and reason; click moves the cursor', async ({ page }, testInfo) => {
  if (!existsSync(KICK_SELF)) {
    const b = spawnSync(process.execPath, [resolve(ROOT, 'scripts', 'build-bpf.mjs'), '--tests-only'], { cwd: ROOT, encoding: 'utf8' });
    expect(b.status, b.stderr).toBe(0);
  }
  const trace = recordTrace(testInfo.outputPath('kick.scxtrace'), { object: KICK_SELF, workload: 'interactive', cpus: 2, duration: '30ms', seed: 3 });
  const ui = await openTrace(page, trace);
  const flows = new FlowsView(page);
  const events = eventsOf(trace);
  const kicks = events.filter((e) => e.kind === 'kick');
  expect(kicks.length).toBeGreaterThan(0);
  await expect.poll(() => flows.kickMarkers.count(), { timeout: 15_000 }).toBeGreaterThan(0);
  // grouped markers add up to every kick of the trace
  const counts = await flows.kickMarkers.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-count'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(kicks.length);
  await expect(flows.kickMarkers.first()).toHaveAttribute('title', /kick: CPU \d kicked CPU \d \(SCX_KICK_PREEMPT\)/);
  await expect.poll(() => flows.preemptMarkers.count()).toBeGreaterThan(0);
  const titles = await flows.preemptMarkers.evaluateAll((els) => els.map((el) => el.getAttribute('title') ?? ''));
  expect(titles.some((s) => /preemption on CPU \d: .* out, .* in · kicked by CPU \d \(SCX_KICK_PREEMPT\)/.test(s))).toBe(true);

  const m = flows.preemptMarkers.nth(Math.floor((await flows.preemptMarkers.count()) / 2));
  const t = Number(await m.getAttribute('data-t'));
  await m.click();
  await expect.poll(() => ui.timeline.cursor()).toBe(t);
  await m.hover();
  await ui.screenshot(testInfo, 'sched-markers');
});

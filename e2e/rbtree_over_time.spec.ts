// The rbtree over time (#11) on a real rbtree scheduler (assets/schedulers/
// rbtree: task_nodes in a bpf_rb_root ordered by vtime) under overload, so the
// tree holds several nodes and changes: "diff against instant T" marks the
// nodes added, removed and moved since T, as many as two snapshots of the
// trace (read with the CLI) say; a cursor step animates the tree and ends with
// every node where the static layout of the new instant puts it; with reduced
// motion it does not animate.
import { copyFileSync } from 'node:fs';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { openTraceHash } from '../src/protocol/open_link';
import type { GraphRootSnapshot, HeapObjectSnapshot, SimSnapshot } from '../src/model/events';
import { layoutRbtreeView } from '../src/renderer/lib/rbtree_layout';
import { DebuggerPage } from './pages/debugger_page';
import { recordTrace } from './pages/recorded_trace';
import { eventsIn, snapshotAt, TreesOverTime } from './pages/rbtree_view';

const QUEUE = '.data.queue.queue';

function queueOf(s: SimSnapshot): GraphRootSnapshot {
  const r = s.roots.find((x) => x.key === QUEUE);
  if (!r) throw new Error(`no ${QUEUE} at ${s.t}: ${s.roots.map((x) => x.key).join(', ')}`);
  return r;
}

/** What changed in the queue between two snapshots, worked out here from the raw node and parent lists. */
function expectedDiff(a: GraphRootSnapshot, b: GraphRootSnapshot) {
  const parentA = new Map(a.nodes.map((id, i) => [id, a.parents![i]]));
  const parentB = new Map(b.nodes.map((id, i) => [id, b.parents![i]]));
  const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
  return {
    added: sorted(b.nodes.filter((id) => !parentA.has(id))),
    removed: sorted(a.nodes.filter((id) => !parentB.has(id))),
    moved: sorted(b.nodes.filter((id) => parentA.has(id) && parentA.get(id) !== parentB.get(id))),
  };
}

function record(testInfo: TestInfo): string {
  return recordTrace(testInfo.outputPath('rbtree-overload.scxtrace'), { scheduler: 'rbtree', workload: 'overload', cpus: 2, duration: '30ms', seed: 3 });
}

/** Screenshots at both sizes, kept under /tmp as well (never in the repo). */
async function shoot(page: Page, ui: DebuggerPage, testInfo: TestInfo, name: string): Promise<void> {
  for (const [w, h] of [[1600, 1000], [1280, 720]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.getByTestId('tree-diff').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await ui.screenshot(testInfo, `${name}-${w}x${h}`);
    copyFileSync(testInfo.outputPath(`${name}-${w}x${h}.png`), `/tmp/${name}-${w}x${h}.png`);
  }
  await page.setViewportSize({ width: 1600, height: 1000 });
}

/** The last instant with an event before the first change of the queue in [t0, t1), and that change's instant. */
function stepIntoChange(trace: string, t0: number, t1: number): { before: number; at: number } {
  const events = eventsIn(trace, t0, t1);
  const touchesQueue = (e: Record<string, unknown>) =>
    e.kind === 'obj_owner' && [e.from, e.to].some((o) => (o as { kind?: string; root?: string } | undefined)?.root === QUEUE);
  const i = events.findIndex((e, k) => touchesQueue(e) && k > 0 && events[k - 1]!.t < e.t);
  if (i < 0) throw new Error(`no change of ${QUEUE} in ${t0}..${t1} ns`);
  return { before: events.slice(0, i).filter((e) => e.t < events[i]!.t).at(-1)!.t, at: events[i]!.t };
}

async function expectStaticLayout(view: TreesOverTime, snap: SimSnapshot): Promise<void> {
  const heap = new Map<number, HeapObjectSnapshot>(snap.heap.map((o) => [o.id, o]));
  const layout = layoutRbtreeView(queueOf(snap), heap);
  const drawn = await view.positions();
  const want = layout.nodes.filter((n) => !n.nil);
  expect([...drawn.keys()].sort((a, b) => a - b)).toEqual(want.map((n) => n.id).sort((a, b) => a - b));
  for (const n of want) {
    const p = drawn.get(n.id)!;
    expect(Math.abs(p.x - n.x), `x of #${n.id}`).toBeLessThan(0.01);
    expect(Math.abs(p.y - n.y), `y of #${n.id}`).toBeLessThan(0.01);
    expect(p.scale).toBe(1);
  }
  await expect(view.svg.locator('rect.nil')).toHaveCount(layout.nodes.filter((n) => n.nil).length);
  await expect(view.svg.locator('line.link')).toHaveCount(layout.links.length);
}

test('diff against an instant marks the nodes added, removed and moved since then, as two snapshots count them', async ({ page }, testInfo) => {
  const trace = record(testInfo);
  const [t1, t2] = [5_000_000, 25_000_000];
  const before = queueOf(snapshotAt(trace, t1));
  const after = queueOf(snapshotAt(trace, t2));
  const want = expectedDiff(before, after);
  // the run is chosen so that all three kinds of change happen
  expect(want.added.length * want.removed.length * want.moved.length).toBeGreaterThan(0);

  const ui = new DebuggerPage(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(`/${openTraceHash(trace, t2)}`);
  const view = new TreesOverTime(page);
  await view.expectAt(t2);
  await expect(view.nodes).toHaveCount(after.nodes.length);
  await expect(view.summary).toHaveCount(0);

  // type T (as the UI prints times) and press Enter
  await view.at.fill('5 ms');
  await view.at.press('Enter');
  await expect(view.summary).toHaveText(`+${want.added.length} −${want.removed.length} ~${want.moved.length} vs 5 ms`);
  await expect(page.getByTestId('root-diff')).toHaveText(`+${want.added.length} −${want.removed.length} ~${want.moved.length}`);
  expect(await view.ids(view.added)).toEqual(want.added);
  expect(await view.ids(view.moved)).toEqual(want.moved);
  expect(await view.ids(view.ghosts)).toEqual(want.removed);
  // the tree itself is unchanged: ghosts are not nodes of this instant
  await expect(view.nodes).toHaveCount(after.nodes.length);
  // ghosts hang where they sat in key order, covering no node of now
  const boxes = await view.svg.locator('g.item rect.body').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      expect(overlap, `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`).toBe(false);
    }
  }
  await shoot(page, ui, testInfo, 'rbtree-diff');

  // a bad time says what is wrong and keeps the diff
  await view.at.fill('soon');
  await view.at.press('Enter');
  await expect(page.getByTestId('tree-diff').getByRole('alert')).toContainText('cannot read “soon” as a time');
  await expect(view.summary).toContainText('vs 5 ms');

  // pinning the cursor's own instant: nothing changed since then
  await view.pin.click();
  await expect(view.summary).toHaveText('+0 −0 ~0 vs 25 ms');
  await expect(view.added).toHaveCount(0);
  await expect(view.moved).toHaveCount(0);
  await expect(view.ghosts).toHaveCount(0);

  // ending the diff removes the legend
  await view.clear.click();
  await expect(view.summary).toHaveCount(0);
});

test('a cursor step animates the tree and ends with every node where the static layout of the new instant puts it', async ({ page }) => {
  const trace = record(test.info());
  const step = stepIntoChange(trace, 10_000_000, 30_000_000);
  const snapAt = snapshotAt(trace, step.at);
  const snapBefore = snapshotAt(trace, step.before);
  const d = expectedDiff(queueOf(snapBefore), queueOf(snapAt));
  // a step the view animates (lib/tree_motion shouldAnimate): the tree changes, by at most two nodes in or out
  expect(d.added.length + d.removed.length + d.moved.length).toBeGreaterThan(0);
  expect(d.added.length + d.removed.length).toBeLessThanOrEqual(2);

  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(`/${openTraceHash(trace, step.before)}`);
  const view = new TreesOverTime(page);
  await view.expectAt(step.before);
  await view.expectSettled();
  await expectStaticLayout(view, snapBefore);

  await view.recordAnimation();
  await page.keyboard.press('Shift+ArrowRight');
  await view.expectAt(step.at);
  await view.expectSettled();
  expect(await view.animationLog()).toContain('1');
  await expectStaticLayout(view, snapAt);

  // and back: the previous instant's layout again
  await page.keyboard.press('Shift+ArrowLeft');
  await view.expectAt(step.before);
  await view.expectSettled();
  await expectStaticLayout(view, snapBefore);
});

test('with reduced motion a cursor step redraws the tree at once', async ({ page }) => {
  const trace = record(test.info());
  const step = stepIntoChange(trace, 10_000_000, 30_000_000);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(`/${openTraceHash(trace, step.before)}`);
  const view = new TreesOverTime(page);
  await view.expectAt(step.before);
  await view.expectSettled();
  await view.recordAnimation();
  await page.keyboard.press('Shift+ArrowRight');
  await view.expectAt(step.at);
  await view.expectSettled();
  expect(await view.animationLog()).not.toContain('1');
  await expectStaticLayout(view, snapshotAt(trace, step.at));
});

test('lists too: diff against an instant marks added nodes and puts removed ones back as ghosts in the chain', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('list-overload.scxtrace'), { scheduler: 'list', workload: 'overload', cpus: 2, duration: '30ms', seed: 3 });
  const [t1, t2] = [5_000_000, 25_000_000];
  const before = snapshotAt(trace, t1).roots;
  const after = snapshotAt(trace, t2).roots;
  const was = new Set(before.flatMap((r) => r.nodes));
  const now = new Set(after.flatMap((r) => r.nodes));
  const added = [...now].filter((id) => !was.has(id)).sort((a, b) => a - b);
  const removed = [...was].filter((id) => !now.has(id)).sort((a, b) => a - b);
  expect(added.length * removed.length).toBeGreaterThan(0);

  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(`/${openTraceHash(trace, t2)}`);
  const view = new TreesOverTime(page);
  await view.expectAt(t2);
  await view.at.fill('5ms');
  await view.at.press('Enter');
  await expect(view.summary).toContainText(`+${added.length} −${removed.length} ~`);
  const chain = page.getByTestId('list-chain');
  expect(await view.ids(chain.locator('[data-mark="added"]'))).toEqual(added);
  expect(await view.ids(chain.locator('.ghost'))).toEqual(removed);
  // a ghost sits where it was: right before the node that followed it at T, when that one is still there
  for (const r of before) {
    for (const [i, id] of r.nodes.entries()) {
      const next = r.nodes[i + 1];
      if (!removed.includes(id) || next === undefined || !now.has(next)) continue;
      const order = await chain.locator('[data-obj]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-obj'))));
      expect(order.indexOf(next) - order.indexOf(id), `ghost #${id} before #${next}`).toBe(1);
    }
  }
});

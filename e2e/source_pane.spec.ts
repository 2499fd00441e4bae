// The source pane (#11) opened from anywhere: a diagnostic, a bpf_kptr_xchg
// event in the events table, an op name; the highlighted line is the one the
// event names. The gutter's per-line counts equal the ownership events
// counted from the window's events (fetched through the same session API).
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { DebuggerPage } from './pages/debugger_page';
import { recordTrace } from './pages/recorded_trace';
import { SourcePaneView } from './pages/source_pane';
import { ChangeTracksView, probe, scrollTo, xOf } from './pages/change_tracks';

const ROOT = resolve(import.meta.dirname, '..');
const RBTREE = resolve(ROOT, 'assets/schedulers/rbtree.bpf.o');
const rbtreeLines = readFileSync(resolve(ROOT, 'assets/schedulers/rbtree.bpf.c'), 'utf8').split('\n');
const LEAK = resolve(ROOT, 'assets/schedulers/buggy/leak.bpf.o');

/** Screenshots at both sizes; `reopen` asks for the line again after a resize (the pane centres it when asked). */
async function shoot(page: Page, ui: DebuggerPage, testInfo: TestInfo, name: string, reopen: () => Promise<void>): Promise<void> {
  for (const [w, h] of [[1600, 1000], [1280, 720]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await reopen();
    await page.waitForTimeout(300);
    await ui.screenshot(testInfo, `${name}-${w}x${h}`);
  }
  await page.setViewportSize({ width: 1600, height: 1000 });
}

test('a diagnostic opens the source pane at the line it names', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('leak.scxtrace'), { object: LEAK, workload: 'cpu-hogs', cpus: 2, duration: '20ms' });
  const ui = new DebuggerPage(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await ui.open();
  await ui.toolbar.openObjectFile(LEAK);
  await ui.toolbar.openTraceFile(trace);
  await ui.drawer.diagnosticsTab.click();
  const leak = ui.drawer.diagnostics.getByRole('button').filter({ hasText: 'returned still owning' }).first();
  const line = Number(/:(\d+)\b/.exec((await leak.textContent()) ?? '')?.[1]);
  expect(line).toBeGreaterThan(0);
  await leak.click();
  const src = new SourcePaneView(page);
  const text = readFileSync(resolve(ROOT, 'assets/schedulers/buggy/leak.bpf.c'), 'utf8').split('\n')[line - 1]!.trim();
  await src.expectLine(line, text);
});

test('a bpf_kptr_xchg event and an op name open the source at their lines; the gutter counts equal the events\' counts', async ({ page }, testInfo) => {
  const trace = recordTrace(testInfo.outputPath('rbtree.scxtrace'), { scheduler: 'rbtree', workload: 'interactive', cpus: 2, duration: '30ms', seed: 3 });
  const ui = new DebuggerPage(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await ui.open();
  await ui.toolbar.openObjectFile(RBTREE);
  await ui.toolbar.openTraceFile(trace);

  // an object stashed into a kptr slot: the events table's obj_owner row, double-clicked
  await ui.drawer.filterKind('obj_owner');
  const stash = ui.drawer.rows.filter({ hasText: /stashed in map/ }).first();
  await expect(stash).toBeVisible();
  await stash.dblclick();
  const src = new SourcePaneView(page);
  await expect(src.pane).toBeVisible();
  const line = Number(await src.pane.getAttribute('data-current-line'));
  expect(rbtreeLines[line - 1]).toContain('bpf_kptr_xchg');
  await src.expectLine(line, 'bpf_kptr_xchg');
  await shoot(page, ui, testInfo, 'source-kptr-xchg', () => stash.dblclick());

  // the gutter: ownership events per line in the visible window, against the events of that window
  await expect(src.counts).toBeVisible();
  const g = await src.gutter();
  const expected = await page.evaluate(async ([t0, t1]) => {
    const api = (window as unknown as { scxray: { call: (m: string, p: unknown) => Promise<{ events: { kind: string; from?: { kind: string }; site?: { line?: number } }[]; truncated: boolean }> } }).scxray;
    const r = await api.call('events', { t0, t1, kinds: ['obj_new', 'obj_owner', 'obj_free'], limit: 100_000 });
    const by: Record<number, number> = {};
    for (const e of r.events) {
      if (!e.site?.line || (e.kind === 'obj_owner' && e.from?.kind === 'freed')) continue;
      by[e.site.line] = (by[e.site.line] ?? 0) + 1;
    }
    return { by, truncated: r.truncated };
  }, [g.t0, g.t1]);
  expect(expected.truncated).toBe(false);
  const ownership = new Map<number, number>();
  for (const [l, text] of g.lines) {
    const n = /(?:^|\s)(\d+)$/.exec(text);
    if (n && !text.endsWith('×')) ownership.set(l, Number(n[1]));
  }
  expect(Object.keys(expected.by).length).toBeGreaterThan(3);
  expect(Object.fromEntries(ownership)).toEqual(Object.fromEntries(Object.entries(expected.by).map(([l, n]) => [Number(l), n])));
  await expect(src.counts).toContainText('per-line run counts: not recorded');

  // an op name in the scheduler panel opens where its program starts; its gutter shows the calls in the window
  await ui.scheduler.ops.filter({ hasText: /^dispatch$/ }).click();
  const start = Number(await src.pane.getAttribute('data-current-line'));
  expect(rbtreeLines[start - 1]).toMatch(/dispatch/);
  const calls = await page.evaluate(async ([t0, t1]) => {
    const api = (window as unknown as { scxray: { call: (m: string, p: unknown) => Promise<{ events: { op: string }[] }> } }).scxray;
    return (await api.call('events', { t0, t1, kinds: ['op'], limit: 100_000 })).events.filter((e) => e.op === 'dispatch').length;
  }, [g.t0, g.t1]);
  expect(calls).toBeGreaterThan(0);
  expect((await src.gutter()).lines.get(start)).toMatch(new RegExp(`^${calls}×`));
  await shoot(page, ui, testInfo, 'source-op', () => ui.scheduler.ops.filter({ hasText: /^dispatch$/ }).click());

  // an object's lifetime row, double-clicked: its allocation site
  const tracks = new ChangeTracksView(page);
  await tracks.expectLoaded();
  const o = await probe(tracks, 'obj');
  const oy = await scrollTo(tracks, o.y);
  await tracks.hover(await xOf(tracks, o.t), oy + 5);
  await expect(tracks.tip).toContainText('double-click: allocated at');
  await page.mouse.dblclick((await tracks.canvas.boundingBox())!.x + (await xOf(tracks, o.t)), (await tracks.canvas.boundingBox())!.y + oy + 5);
  await expect.poll(async () => rbtreeLines[Number(await src.pane.getAttribute('data-current-line')) - 1]).toContain('bpf_obj_new');
  await expect(src.current).toContainText('bpf_obj_new');
});

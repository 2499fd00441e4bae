// Pinning a numeric global from the globals panel (#11) adds a counter track
// under the lanes: its step line starts at the value the trace has at the
// window's start and steps at the keyframes (writes to globals are not
// events); hovering names the value; unpinning removes the track.
import { expect, test, type Page } from '@playwright/test';
import { DebuggerPage } from './pages/debugger_page';
import { recordTrace } from './pages/recorded_trace';
import { ChangeTracksView, scrollTo, xOf } from './pages/change_tracks';

/** The pinned globals' rows the tracks publish: name, row y, points. */
async function pinned(tracks: ChangeTracksView): Promise<{ name: string; y: number; points: { t: number; v: number }[] }[]> {
  const attr = (await tracks.canvas.getAttribute('data-globals')) ?? '';
  return attr.split(';').filter(Boolean).map((row) => {
    const [name, y, pts] = row.split('@');
    return { name: name!, y: Number(y), points: pts!.split(',').map((p) => ({ t: Number(p.split(':')[0]), v: Number(p.split(':')[1]) })) };
  });
}

async function globalAt(page: Page, t: number, name: string): Promise<string | undefined> {
  return page.evaluate(async ([at, n]) => {
    const api = (window as unknown as { scxray: { call: (m: string, p: unknown) => Promise<{ globals?: { name: string; value: string }[] }> } }).scxray;
    return (await api.call('stateAt', { t: at })).globals?.find((g) => g.name === n)?.value;
  }, [t, name] as const);
}

test('a pinned global becomes a counter track sampled at the keyframes', async ({ page }, testInfo) => {
  // fifo counts its direct dispatches in .bss (nr_direct); 1 s on 8 CPUs spans several keyframes
  const trace = recordTrace(testInfo.outputPath('fifo.scxtrace'), { scheduler: 'fifo', workload: 'interactive', cpus: 8, duration: '1s' });
  const ui = new DebuggerPage(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await ui.open();
  await ui.toolbar.openTraceFile(trace);
  const tracks = new ChangeTracksView(page);
  await expect(tracks.canvas).toHaveAttribute('data-counters', /\d+/);
  const before = await tracks.count('counters');

  const row = page.getByTestId('globals-at-cursor').locator('tr[data-global="nr_direct"]');
  await row.scrollIntoViewIfNeeded();
  const pin = row.getByRole('button', { name: 'Pin nr_direct as a counter track' });
  await pin.click();
  await expect(row.getByRole('button', { name: 'Unpin nr_direct as a counter track' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => tracks.count('counters')).toBe(before + 1);
  const [series] = await pinned(tracks);
  expect(series!.name).toBe('nr_direct');
  const [t0, t1] = await tracks.window();
  // from the value at the window's start, one step per keyframe where it changed, growing (fifo only counts up)
  expect(series!.points[0]).toEqual({ t: t0, v: Number(await globalAt(page, t0, 'nr_direct')) });
  expect(series!.points.length).toBeGreaterThan(2);
  for (let i = 1; i < series!.points.length; i++) {
    expect(series!.points[i]!.t).toBeGreaterThan(series!.points[i - 1]!.t);
    expect(series!.points[i]!.t).toBeLessThan(t1);
    expect(series!.points[i]!.v).toBeGreaterThan(series!.points[i - 1]!.v);
  }
  // each step is the value the trace holds at that keyframe
  const last = series!.points[series!.points.length - 1]!;
  expect(String(last.v)).toBe(await globalAt(page, last.t, 'nr_direct'));

  // hovering the track after the last step names that value
  const y = await scrollTo(tracks, series!.y);
  const box = (await tracks.canvas.boundingBox())!;
  const x = Math.min(box.width - 10, (await xOf(tracks, last.t)) + 20);
  await tracks.hover(x, y + 11);
  await expect(tracks.tip).toContainText(`global nr_direct = ${last.v}`);
  for (const [w, h] of [[1600, 1000], [1280, 720]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(300);
    const y2 = await scrollTo(tracks, series!.y);
    const b2 = (await tracks.canvas.boundingBox())!;
    await tracks.hover(Math.min(b2.width - 10, (await xOf(tracks, last.t)) + 20), y2 + 11);
    await ui.screenshot(testInfo, `pinned-global-${w}x${h}`);
  }

  // unpinning removes the track
  await row.scrollIntoViewIfNeeded();
  await row.getByRole('button', { name: 'Unpin nr_direct as a counter track' }).click();
  await expect.poll(() => tracks.count('counters')).toBe(before);
  expect(await tracks.canvas.getAttribute('data-globals')).toBe('');
});

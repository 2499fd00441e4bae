// UI performance bar (DESIGN "Performance and reliability bars"): pan and
// zoom a timeline of 1M slices. The assertions are on what was drawn (level
// of detail: never more rectangles per lane than pixel columns) and that
// frames kept coming; the frame and paint times are measured and reported as
// annotations, not asserted (no wall-clock assertions).
import { expect, test } from '@playwright/test';
import { TimelineBenchPage } from './pages/timeline_bench_page';

const SLICES = 1_000_000;
const CPUS = 16;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
}

test('a timeline of 1M slices pans and zooms with bounded drawing per frame', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const bench = new TimelineBenchPage(page);
  await bench.open(SLICES, CPUS);
  const box = (await bench.canvas.boundingBox())!;
  const plotWidth = box.width - 64;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await bench.clearPaints();

  await bench.holdKey('w', 1500);
  await bench.holdKey('d', 800);
  await bench.holdKey('a', 800);
  for (let i = 0; i < 15; i++) await page.mouse.wheel(0, 120);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 400, box.y + box.height / 2, { steps: 30 });
  await page.mouse.up();
  await bench.holdKey('s', 1200);

  const paints = await bench.paints();
  expect(paints.length).toBeGreaterThan(30);
  for (const p of paints) expect(p.maxRects).toBeLessThanOrEqual(Math.ceil(plotWidth) + 1);
  expect(paints.some((p) => p.maxRects > 100)).toBe(true);

  const intervals = paints.slice(1).map((p, i) => p.at - paints[i]!.at);
  const paintMs = paints.map((p) => p.ms);
  const queries = await bench.queries();
  const report = {
    slices: SLICES,
    cpus: CPUS,
    frames: paints.length,
    buildMs: Math.round(await bench.buildMs()),
    paintMsP50: +quantile(paintMs, 0.5).toFixed(2),
    paintMsP95: +quantile(paintMs, 0.95).toFixed(2),
    paintMsMax: +Math.max(...paintMs).toFixed(2),
    frameIntervalMsP50: +quantile(intervals, 0.5).toFixed(1),
    frameIntervalMsP95: +quantile(intervals, 0.95).toFixed(1),
    sliceQueries: queries.length,
    sliceQueryMsP50: +quantile(queries.map((q) => q.ms), 0.5).toFixed(1),
    slicesPerQueryMax: Math.max(0, ...queries.map((q) => q.slices)),
  };
  testInfo.annotations.push({ type: 'timeline-perf', description: JSON.stringify(report) });
  await testInfo.attach('timeline-perf.json', { body: JSON.stringify(report, null, 2), contentType: 'application/json' });
  console.log(`timeline perf: ${JSON.stringify(report)}`);
  const shot = testInfo.outputPath('timeline-1M.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('timeline-1M', { path: shot, contentType: 'image/png' });
});

// The UI performance bar: pan and
// zoom a timeline of 1M slices. The assertions are on what was drawn (level
// of detail: never more rectangles per lane than pixel columns) and that
// frames kept coming; the frame and paint times are measured and reported as
// annotations, not asserted (no wall-clock assertions).
import { expect, test } from '@playwright/test';
import { TimelineBenchPage } from './pages/timeline_bench_page';
import { DebuggerPage } from './pages/debugger_page';
import { recordTrace } from './pages/recorded_trace';
import { startFrameSampler, stopFrameSampler } from './pages/frame_sampler';

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
  await startFrameSampler(page);

  await bench.holdKey('w', 1500);
  await bench.holdKey('d', 800);
  await bench.holdKey('a', 800);
  for (let i = 0; i < 15; i++) await page.mouse.wheel(0, 120);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 400, box.y + box.height / 2, { steps: 30 });
  await page.mouse.up();
  await bench.holdKey('s', 1200);
  const intervals = await stopFrameSampler(page);

  const paints = await bench.paints();
  expect(paints.length).toBeGreaterThan(30);
  for (const p of paints) expect(p.maxRects).toBeLessThanOrEqual(Math.ceil(plotWidth) + 1);
  expect(paints.some((p) => p.maxRects > 100)).toBe(true);

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
    framesOver50ms: intervals.filter((x) => x > 50).length,
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

test('a recorded 10 s run on 16 CPUs pans and zooms through the real host', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const trace = recordTrace(testInfo.outputPath('vtime-interactive-16cpu.scxtrace'), {
    scheduler: 'vtime',
    workload: 'interactive',
    cpus: 16,
    duration: '10s',
  });
  const ui = new DebuggerPage(page);
  await ui.open();
  await ui.toolbar.openTraceFile(trace);
  await ui.timeline.expectSlicesOnEveryLane(16);
  // Sample every frame the timeline draws: its paint time and widest lane.
  await page.evaluate(() => {
    const w = window as unknown as { __paints: { ms: number; maxRects: number; at: number }[] };
    w.__paints = [];
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=timeline-canvas]')!;
    let last = canvas.dataset.frames;
    const tick = () => {
      if (canvas.dataset.frames !== last) {
        last = canvas.dataset.frames;
        const rects = (canvas.dataset.laneRects ?? '').split(',').map(Number);
        w.__paints.push({ ms: Number(canvas.dataset.paintMs), maxRects: Math.max(...rects), at: performance.now() });
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const box = (await ui.timeline.canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await startFrameSampler(page);
  await ui.timeline.holdKey('w', 1500);
  await ui.timeline.holdKey('d', 800);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 120);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 300, box.y + box.height / 2, { steps: 20 });
  await page.mouse.up();
  await ui.timeline.holdKey('s', 1500);
  const intervals = await stopFrameSampler(page);
  const paints = await page.evaluate(() => (window as unknown as { __paints: { ms: number; maxRects: number; at: number }[] }).__paints);
  expect(paints.length).toBeGreaterThan(20);
  for (const p of paints) expect(p.maxRects).toBeLessThanOrEqual(Math.ceil(box.width - 64) + 1);
  const report = {
    slicesHeld: Number(await ui.timeline.canvas.getAttribute('data-slices')),
    frames: paints.length,
    paintMsP50: +quantile(paints.map((p) => p.ms), 0.5).toFixed(2),
    paintMsP95: +quantile(paints.map((p) => p.ms), 0.95).toFixed(2),
    frameIntervalMsP50: +quantile(intervals, 0.5).toFixed(1),
    frameIntervalMsP95: +quantile(intervals, 0.95).toFixed(1),
    framesOver50ms: intervals.filter((x) => x > 50).length,
  };
  testInfo.annotations.push({ type: 'timeline-perf-host', description: JSON.stringify(report) });
  console.log(`timeline perf (real host, 10 s x 16 CPUs): ${JSON.stringify(report)}`);
});

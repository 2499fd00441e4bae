// npm run bench (area tracks): the change-over-time tracks' frame budget.
// The built app's #bench-tracks page (src/renderer/bench/tracks_bench.ts)
// draws the timeline of a synthetic 10 s, 64-CPU run over change tracks of
// 2,000 heap objects (ownership bands, 64 kptr slots with xchg ticks, 66
// counter series), answered per window in the page like the session does;
// Playwright in Debian's Chromium pans and zooms it with keys, wheel and
// drag, and every animation frame's interval, every timeline paint and
// every tracks draw is recorded. Reported as p50/p95 (goal: frame p95
// <= 33 ms), with the load average (the machine is shared). Needs dist/
// (npm run build); SCXRAY_CHROMIUM picks the browser.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { load, quantile, serve } from './ui';

const ROOT = resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.SCXRAY_CHROMIUM ?? '/usr/bin/chromium';
const OBJECTS = 2000;
const CPUS = 64;

interface Record {
  durationNs: number;
  paints: { ms: number }[];
  draws: { ms: number; rows: number }[];
  queries: { ms: number; objects: number }[];
}

async function holdKey(page: Page, key: string, holdMs: number): Promise<void> {
  await page.keyboard.down(key);
  await page.waitForTimeout(holdMs);
  await page.keyboard.up(key);
}

/** Pans and zooms over the lanes; returns the frame intervals and what the page recorded meanwhile. */
export async function panTracks(page: Page): Promise<{ intervals: number[]; rec: Record }> {
  const canvas = page.getByTestId('timeline-canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // A string, not a function: tsx would wrap named inner functions in a helper the page does not have.
  await page.evaluate(`(() => {
    const w = window;
    const b = w.__tracksBench;
    b.paints.length = 0;
    b.draws.length = 0;
    b.queries.length = 0;
    w.__frames = [];
    w.__sampling = true;
    function tick(t) {
      w.__frames.push(t);
      if (w.__sampling) requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  })()`);
  await holdKey(page, 'w', 1200);
  await holdKey(page, 'd', 1500);
  await holdKey(page, 'a', 1500);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 120);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 400, box.y + box.height / 2, { steps: 30 });
  await page.mouse.up();
  await holdKey(page, 's', 1000);
  const { frames, rec } = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __sampling: boolean; __tracksBench: Record };
    w.__sampling = false;
    return { frames: w.__frames, rec: w.__tracksBench };
  });
  return { intervals: frames.slice(1).map((t, i) => t - frames[i]!), rec };
}

export async function benchTracks(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/renderer/index.html'))) {
    console.log('  skipped: no built app (run npm run build first)');
    return;
  }
  if (!existsSync(CHROMIUM)) {
    console.log(`  skipped: no Chromium at ${CHROMIUM} (set SCXRAY_CHROMIUM)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'scxray-bench-tracks-'));
  const { proc, url, base } = await serve(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    // the token's page load sets the cookie; then the bench page
    await page.goto(url);
    await page.goto(`${base}#bench-tracks=${OBJECTS},${CPUS}`);
    await page.reload();
    await page.waitForFunction((n) => document.querySelector('[data-testid=change-canvas]')?.getAttribute('data-objects') === String(n), OBJECTS, { timeout: 60_000 });
    const { intervals, rec } = await panTracks(page);
    const draws = rec.draws.map((d) => d.ms);
    const paints = rec.paints.map((p) => p.ms);
    const q = rec.queries.map((x) => x.ms);
    console.log(
      `  change tracks: ${OBJECTS} objects, ${CPUS} CPUs, ${(rec.durationNs / 1e9).toFixed(1)} s; pan/zoom ${intervals.length} frames: ` +
        `frame interval p50 ${quantile(intervals, 0.5).toFixed(1)} ms, p95 ${quantile(intervals, 0.95).toFixed(1)} ms, max ${Math.max(...intervals).toFixed(1)} ms (goal p95 <= 33 ms); ` +
        `tracks draw (${draws.length}) p50 ${quantile(draws, 0.5).toFixed(2)} ms, p95 ${quantile(draws, 0.95).toFixed(2)} ms, rows p95 ${quantile(rec.draws.map((d) => d.rows), 0.95)}; ` +
        `timeline paint (${paints.length}) p95 ${quantile(paints, 0.95).toFixed(2)} ms; window answers (${q.length}) p95 ${quantile(q, 0.95).toFixed(1)} ms  [load ${load()}]`,
    );
  } finally {
    await browser.close();
    proc.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchTracks();

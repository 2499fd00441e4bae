// npm run bench (area ui): the UI path, measured through Playwright in
// Debian's Chromium against the built app (dist/, from `npm run build`)
// served by `scxray serve`:
//  - live run: a run started in the UI, from the Run click to 'finished',
//    divided by `scxray run --record` of the same run (same object, workload,
//    CPUs, seed, duration) timed in the same bench;
//  - opening a recorded trace to first paint (slices on every CPU lane), by
//    upload (the browser's file picker) and by path (a #open= link, as
//    Electron and `scxray serve --open` do);
//  - moving the cursor: pointer down on the lanes to the state panel showing
//    the state at the new instant, timed inside the page;
//  - panning and zooming: animation-frame intervals and the timeline's paint
//    times while keys, wheel and drag move the view.
// Figures are percentiles and ratios from one run, printed with the load
// average (the machine is shared). SCXRAY_CHROMIUM picks the browser,
// BENCH_UI_LIVE the live run's duration (a label of the UI's list: '5 s'),
// BENCH_UI=trace|live one half of it; SCXRAY_TRACE_REQUESTS=1 prints the host's
// per-request log (src/main/host/pool_worker.ts) to see what held a session busy.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { openTraceHash } from '../src/protocol/open_link';

const ROOT = resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.SCXRAY_CHROMIUM ?? '/usr/bin/chromium';
const VIEWPORT = { width: 1440, height: 900 };

/** The trace the open / cursor / pan figures use: about 2.3 M events, 5–6 MB. */
const TRACE_RUN = { scheduler: 'vtime', workload: 'interactive', cpus: 16, duration: '20s', seed: 1 };
/** The live run, in the UI and in the CLI. */
const LIVE_RUN = { scheduler: 'fifo', workload: 'interactive', cpus: 16, seed: 3, label: process.env.BENCH_UI_LIVE ?? '20 s' };
const CURSOR_MOVES = 30;

interface CliRun {
  scheduler: string;
  workload: string;
  cpus: number;
  duration: string;
  seed: number;
}

/** `scxray run --record` as a user runs it; returns its wall time in ms. */
function cliRecord(run: CliRun, out: string): number {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin/scxray.mjs'), 'run', join(ROOT, 'assets/schedulers', `${run.scheduler}.bpf.o`), '--workload', run.workload, '--cpus', String(run.cpus), '--duration', run.duration, '--seed', String(run.seed), '--record', out, '--json'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`scxray run ${run.scheduler} failed (${r.status}): ${r.stderr}`);
  return ms;
}

/** `scxray serve --port 0`; resolves with the page URL (token included) once it listens. */
export function serve(allowDir: string): Promise<{ proc: ChildProcess; url: string; base: string }> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/scxray.mjs'), 'serve', '--port', '0', '--allow-path', allowDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((ok, fail) => {
    let out = '';
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (process.env.SCXRAY_TRACE_REQUESTS) process.stderr.write(d);
    });
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving at (http:\/\/127\.0\.0\.1:\d+\/)(\?token=[0-9a-f]+)/.exec(out);
      if (m) ok({ proc, url: m[1]! + m[2]!, base: m[1]! });
    });
    proc.on('exit', (code) => fail(new Error(`scxray serve exited (${code}) before serving: ${err}`)));
  });
}

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
}

export const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const ms = (x: number) => `${Math.round(x)} ms`;

/** Resolves once every CPU lane of the timeline shows a slice; returns performance.now() in the page. */
function waitLanes(page: Page, cpus: number, timeout: number): Promise<number> {
  return page
    .waitForFunction(
      (n) => {
        const c = document.querySelector<HTMLCanvasElement>('[data-testid=timeline-canvas]');
        const r = (c?.dataset.laneRects ?? '').split(',').filter(Boolean).map(Number);
        return r.length === n && r.every((x) => x > 0) ? performance.now() : false;
      },
      cpus,
      { polling: 'raf', timeout },
    )
    .then((h) => h.jsonValue() as Promise<number>);
}

/**
 * Resolves (with performance.now() here) when the page first receives a slices answer that reaches the
 * end of what it asked for: a streamed answer says with its t1 how far it got.
 */
function wholeSlices(page: Page): Promise<number> {
  return new Promise((resolve) => {
    page.on('websocket', (ws) => {
      const asked = new Map<number, number>();
      ws.on('framesent', (f) => {
        const m = JSON.parse(String(f.payload)) as { method?: string; id: number; params?: { t1: number } };
        if (m.method === 'slices' && m.params) asked.set(m.id, m.params.t1);
      });
      ws.on('framereceived', (f) => {
        const text = String(f.payload);
        if (!text.includes('"nsPerPx"')) return;
        const m = JSON.parse(text) as { id: number; ok: boolean; result?: { t1: number } };
        const want = asked.get(m.id);
        if (want !== undefined && m.ok && m.result && m.result.t1 >= want) resolve(performance.now());
      });
    });
  });
}

async function liveRun(ctx: BrowserContext, url: string, dir: string): Promise<void> {
  const durationArg = LIVE_RUN.label.replace(' ', '');
  // The CLI first, then the UI: back to back.
  const cliMs = cliRecord({ ...LIVE_RUN, duration: durationArg }, join(dir, 'live-cli.scxtrace'));
  const startupMs = cliRecord({ ...LIVE_RUN, duration: '1ms' }, join(dir, 'live-cli-1ms.scxtrace'));
  const page = await ctx.newPage();
  await page.goto(url);
  await page.getByTestId(`example-${LIVE_RUN.scheduler}`).click();
  await page.getByTestId('workload').selectOption(LIVE_RUN.workload);
  await page.getByTestId('cpus').selectOption(String(LIVE_RUN.cpus));
  await page.getByTestId('seed').fill(String(LIVE_RUN.seed));
  await page.getByTestId('duration').selectOption({ label: LIVE_RUN.label });
  const t0 = performance.now();
  await page.getByTestId('run').click();
  await page.getByTestId('run-state').filter({ hasText: 'finished' }).waitFor({ timeout: 900_000 });
  const uiMs = performance.now() - t0;
  await page.close();
  const simMs = cliMs - startupMs;
  console.log(
    `  live run ${LIVE_RUN.scheduler} ${LIVE_RUN.workload} ${LIVE_RUN.cpus} CPUs ${LIVE_RUN.label}: UI ${ms(uiMs)}, CLI --record ${ms(cliMs)} (of it start-up ${ms(startupMs)}); ` +
      `UI / CLI ${(uiMs / cliMs).toFixed(2)}x, UI / (CLI - start-up) ${(uiMs / simMs).toFixed(2)}x (goal <= 1.5x)  [load ${load()}]`,
  );
}

async function openTrace(ctx: BrowserContext, url: string, base: string, trace: string): Promise<Page> {
  const cpus = TRACE_RUN.cpus;
  // By upload: the file picker of a browser.
  const up = await ctx.newPage();
  await up.goto(url);
  await up.getByTestId('empty-state').waitFor();
  const chooser = up.waitForEvent('filechooser');
  await up.getByTestId('open-trace').click();
  const fc = await chooser;
  const t0 = await up.evaluate(() => performance.now());
  await fc.setFiles(trace);
  const uploadMs = (await waitLanes(up, cpus, 120_000)) - t0;
  await up.close();
  // By path: the page opens with a #open= link (page load included; the bare page load beside it).
  const bare = await ctx.newPage();
  const b0 = performance.now();
  await bare.goto(base);
  await bare.getByTestId('empty-state').waitFor();
  const pageMs = performance.now() - b0;
  await bare.close();
  const page = await ctx.newPage();
  const whole = wholeSlices(page);
  const p0 = performance.now();
  await page.goto(base + openTraceHash(trace));
  await waitLanes(page, cpus, 120_000);
  const pathMs = performance.now() - p0;
  const wholeMs = (await whole) - p0;
  const mb = statSync(trace).size / 1e6;
  console.log(
    `  open ${mb.toFixed(1)} MB trace (${TRACE_RUN.scheduler} ${TRACE_RUN.workload} ${cpus} CPUs ${TRACE_RUN.duration}) to first paint: ` +
      `by upload ${ms(uploadMs)}, by path ${ms(pathMs)} (page load alone ${ms(pageMs)}; slices of the whole view received after ${ms(wholeMs)}) (goal <= 1000 ms)  [load ${load()}]`,
  );
  return page;
}

/**
 * Pointer down at spread-out instants on the time axis (the cursor alone) or on the lanes (the cursor
 * and the task under it, which the change tracks follow); the state panel's data-t says when the state
 * at the new instant arrived.
 */
async function moveCursor(page: Page, on: 'axis' | 'lanes'): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __down: number; __lat: number[]; __watching?: boolean };
    w.__lat = [];
    w.__down = NaN;
    if (w.__watching) return;
    w.__watching = true;
    window.addEventListener('pointerdown', () => (w.__down = performance.now()), true);
    const panel = document.querySelector('[data-testid=state-panel]')!;
    new MutationObserver(() => {
      if (!Number.isNaN(w.__down)) w.__lat.push(performance.now() - w.__down);
      w.__down = NaN;
    }).observe(panel, { attributes: true, attributeFilter: ['data-t'] });
  });
  const target = on === 'axis' ? page.getByRole('slider', { name: 'Cursor time' }) : page.getByTestId('timeline-canvas');
  const box = (await target.boundingBox())!;
  for (let i = 0; i < CURSOR_MOVES; i++) {
    // golden-ratio steps: spread over the whole trace, never the same instant twice
    const f = 0.02 + 0.96 * ((i * 0.6180339887 + (on === 'axis' ? 0 : 0.3)) % 1);
    await target.click({ position: { x: 64 + (box.width - 76) * f, y: on === 'axis' ? box.height / 2 : 8 } });
    await page.waitForFunction((n) => (window as unknown as { __lat: number[] }).__lat.length > n, i, { timeout: 30_000 });
  }
  const lat = await page.evaluate(() => (window as unknown as { __lat: number[] }).__lat);
  console.log(
    `  cursor move (click on the ${on === 'axis' ? 'time axis' : 'lanes, selecting a task'}) to state shown (${lat.length} clicks): p50 ${quantile(lat, 0.5).toFixed(1)} ms, p95 ${quantile(lat, 0.95).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms (goal p95 <= 16 ms)  [load ${load()}]`,
  );
}

async function holdKey(page: Page, key: string, holdMs: number): Promise<void> {
  await page.keyboard.down(key);
  await page.waitForTimeout(holdMs);
  await page.keyboard.up(key);
}

/** Keys, wheel and drag over the lanes; every animation frame's interval and every timeline paint. */
async function panZoom(page: Page): Promise<void> {
  const canvas = page.getByTestId('timeline-canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // A string, not a function: tsx would wrap named inner functions in a helper the page does not have.
  await page.evaluate(`(() => {
    const w = window;
    w.__frames = [];
    w.__paints = [];
    w.__sampling = true;
    const c = document.querySelector('[data-testid=timeline-canvas]');
    let last = c.dataset.frames;
    function tick(t) {
      w.__frames.push(t);
      if (c.dataset.frames !== last) {
        last = c.dataset.frames;
        w.__paints.push(Number(c.dataset.paintMs));
      }
      if (w.__sampling) requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  })()`);
  await holdKey(page, 'w', 1500);
  await holdKey(page, 'd', 800);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 120);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 300, box.y + box.height / 2, { steps: 20 });
  await page.mouse.up();
  await holdKey(page, 's', 1500);
  await holdKey(page, 'a', 800);
  const { frames, paints } = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __paints: number[]; __sampling: boolean };
    w.__sampling = false;
    return { frames: w.__frames, paints: w.__paints };
  });
  const iv = frames.slice(1).map((t, i) => t - frames[i]!);
  console.log(
    `  pan/zoom (${iv.length} frames, ${paints.length} paints): frame interval p50 ${quantile(iv, 0.5).toFixed(1)} ms, p95 ${quantile(iv, 0.95).toFixed(1)} ms, max ${Math.max(...iv).toFixed(1)} ms, ` +
      `over 100 ms ${iv.filter((x) => x > 100).length}; paint p95 ${quantile(paints, 0.95).toFixed(1)} ms (goal p95 <= 33 ms, none over 100 ms)  [load ${load()}]`,
  );
}

/** BENCH_UI=trace or BENCH_UI=live runs one half (default both). */
const parts = new Set((process.env.BENCH_UI ?? 'trace,live').split(','));

export async function benchUi(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/renderer/index.html'))) {
    console.log('  skipped: no built app (run npm run build first)');
    return;
  }
  if (!existsSync(CHROMIUM)) {
    console.log(`  skipped: no Chromium at ${CHROMIUM} (set SCXRAY_CHROMIUM)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'scxray-bench-ui-'));
  const { proc, url, base } = await serve(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    // One context: the first page load with the token sets the cookie the later ones use.
    const ctx = await browser.newContext({ viewport: VIEWPORT });
    if (parts.has('trace')) {
      const trace = join(dir, 'trace.scxtrace');
      const recMs = cliRecord(TRACE_RUN, trace);
      console.log(`  recorded the trace with scxray run --record in ${ms(recMs)}`);
      const page = await openTrace(ctx, url, base, trace);
      await moveCursor(page, 'axis');
      await moveCursor(page, 'lanes');
      await panZoom(page);
      await page.close();
    }
    if (parts.has('live')) await liveRun(ctx, url, dir);
  } finally {
    await browser.close();
    proc.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchUi();

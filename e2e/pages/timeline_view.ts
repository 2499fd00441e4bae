// The timeline: CPU lanes drawn on a canvas. The canvas publishes what it
// drew (rectangles per lane, slices held, frames) as data attributes.
import { expect, type Locator, type Page } from '@playwright/test';

export class TimelineView {
  readonly root: Locator;
  readonly canvas: Locator;
  readonly axis: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('timeline');
    this.canvas = page.getByTestId('timeline-canvas');
    this.axis = page.getByRole('slider', { name: 'Cursor time' });
  }

  /** Exit and diagnostic markers above the lanes. */
  get markers(): Locator {
    return this.page.getByTestId('timeline-marker');
  }

  get tooltip(): Locator {
    return this.page.getByTestId('timeline-tooltip');
  }

  get lanesScrollbar(): Locator {
    return this.page.getByTestId('lanes-scrollbar');
  }

  private async numbers(attr: string): Promise<number[]> {
    const v = await this.canvas.getAttribute(attr);
    return v ? v.split(',').map(Number) : [];
  }

  /** Rectangles per lane drawn hatched (standing for several slices). */
  mergedPerLane(): Promise<number[]> {
    return this.numbers('data-lane-merged');
  }

  /** [first, last) lanes on screen. */
  async visibleLanes(): Promise<[number, number]> {
    const [a, b] = await this.numbers('data-visible-lanes');
    return [a!, b!];
  }

  /** Rows top to bottom: "g<n>" a group header, "<n>" CPU n. */
  async rows(): Promise<string[]> {
    return ((await this.canvas.getAttribute('data-rows')) ?? '').split(',').filter(Boolean);
  }

  /** Canvas y (CSS px) of the middle of a row ("5" for CPU 5, "g1" for group 1's header), given the lanes' scroll. */
  async rowY(row: string): Promise<number> {
    const i = (await this.rows()).indexOf(row);
    const h = await this.laneHeight();
    const scroll = (await this.lanesScrollbar.count()) > 0 ? await this.lanesScrollbar.evaluate((el) => el.scrollTop) : 0;
    return i < 0 ? -1 : 2 + i * h - scroll + h / 2;
  }

  async laneHeight(): Promise<number> {
    return Number(await this.canvas.getAttribute('data-lane-height'));
  }

  /** The cursor's instant in ns (the axis slider's value). */
  async cursor(): Promise<number> {
    return Number(await this.axis.getAttribute('aria-valuenow'));
  }

  /** Canvas x (CSS px) of instant t in the current view; the plot spans [64, right). */
  async xOf(t: number): Promise<number> {
    const [t0, t1] = await this.view();
    const right = await this.plotRight();
    return 64 + ((t - t0) / (t1 - t0)) * (right - 64);
  }

  /** Right edge of the plot in CSS px (left of the lanes' scrollbar when there is one). */
  async plotRight(): Promise<number> {
    const box = (await this.canvas.boundingBox())!;
    return box.width - ((await this.lanesScrollbar.count()) > 0 ? 12 : 0);
  }

  /** The canvas pixel colour at CSS (x, y), as [r, g, b]. */
  pixel(x: number, y: number): Promise<[number, number, number]> {
    return this.canvas.evaluate((c: HTMLCanvasElement, [px, py]) => {
      const dpr = c.width / c.getBoundingClientRect().width;
      const d = c.getContext('2d')!.getImageData(Math.round(px! * dpr), Math.round(py! * dpr), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!] as [number, number, number];
    }, [x, y]);
  }

  /** Hover the lanes at canvas (x, y) and return the tooltip's text. */
  async hoverText(x: number, y: number): Promise<string> {
    await this.canvas.hover({ position: { x, y } });
    await expect(this.tooltip).toBeVisible();
    return (await this.tooltip.textContent()) ?? '';
  }

  async rectsPerLane(): Promise<number[]> {
    const v = await this.canvas.getAttribute('data-lane-rects');
    return v ? v.split(',').map(Number) : [];
  }

  /** The visible window [t0, t1] in ns, as last drawn. */
  async view(): Promise<[number, number]> {
    const v = (await this.canvas.getAttribute('data-view')) ?? '0,0';
    const [a, b] = v.split(',').map(Number);
    return [a!, b!];
  }

  async holdKey(key: string, ms: number): Promise<void> {
    await this.canvas.hover();
    await this.page.keyboard.down(key);
    await this.page.waitForTimeout(ms);
    await this.page.keyboard.up(key);
  }

  async frames(): Promise<number> {
    return Number((await this.canvas.getAttribute('data-frames')) ?? 0);
  }

  /** Wait until every one of `cpus` lanes shows at least one slice. */
  async expectSlicesOnEveryLane(cpus: number): Promise<void> {
    await expect
      .poll(async () => {
        const r = await this.rectsPerLane();
        return r.length === cpus && r.every((n) => n > 0);
      }, { timeout: 30_000 })
      .toBe(true);
  }

  /** Click the lanes at a fraction of the plot width (sets the cursor). */
  async clickAt(fraction: number, lane = 0): Promise<void> {
    const box = (await this.canvas.boundingBox())!;
    const gutter = 64;
    await this.canvas.click({ position: { x: gutter + (box.width - gutter) * fraction, y: 6 + lane * 20 } });
  }

  /** Drag on the axis to put the cursor at a fraction of the plot width. */
  async seek(fraction: number): Promise<void> {
    const box = (await this.axis.boundingBox())!;
    const gutter = 64;
    await this.page.mouse.click(box.x + gutter + (box.width - gutter) * fraction, box.y + box.height / 2);
  }
}

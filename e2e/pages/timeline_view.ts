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

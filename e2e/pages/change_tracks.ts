// The change-over-time tracks under the timeline (ChangeTracks.svelte): one
// canvas publishing what it holds (objects, bands, slots, xchg ticks,
// counters, the window) as data attributes; a tooltip on hover.
import { expect, type Locator, type Page } from '@playwright/test';

export class ChangeTracksView {
  readonly root: Locator;
  readonly canvas: Locator;
  readonly tip: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('change-tracks');
    this.canvas = page.getByTestId('change-canvas');
    this.tip = page.getByTestId('change-tip');
  }

  async count(attr: 'objects' | 'bands' | 'slots' | 'xchg' | 'counters' | 'rows' | 'leaked'): Promise<number> {
    return Number(await this.canvas.getAttribute(`data-${attr}`));
  }

  async window(): Promise<[number, number]> {
    const [a, b] = ((await this.canvas.getAttribute('data-view')) ?? '').split(',').map(Number);
    return [a!, b!];
  }

  /** Waits until the tracks were fetched with at least one object. */
  async expectLoaded(): Promise<void> {
    await expect(this.root).toBeVisible();
    await expect.poll(() => this.count('objects'), { timeout: 20_000 }).toBeGreaterThan(0);
  }

  /** Moves the pointer over canvas point (x, y) in CSS px (y relative to the canvas, which sits at the scroll top). */
  async hover(x: number, y: number): Promise<void> {
    const box = await this.canvas.boundingBox();
    if (!box) throw new Error('change-tracks canvas is not laid out');
    await this.page.mouse.move(box.x + x, box.y + y);
  }

  async click(x: number, y: number): Promise<void> {
    const box = await this.canvas.boundingBox();
    if (!box) throw new Error('change-tracks canvas is not laid out');
    await this.page.mouse.click(box.x + x, box.y + y);
  }
}

export interface Probe {
  /** Object id, or the slot key. */
  what: string;
  /** Row top in the scrolled content (CSS px). */
  y: number;
  t: number;
  /** The owner label, or the object id a slot held. */
  extra: string;
}

export async function probe(view: ChangeTracksView, which: 'obj' | 'slot' | 'leak'): Promise<Probe> {
  const v = (await view.canvas.getAttribute(`data-probe-${which}`)) ?? '';
  const [what, y, t, extra] = v.split('|');
  if (!what) throw new Error(`no ${which} probe on the change-tracks canvas`);
  return { what, y: Number(y), t: Number(t), extra: extra ?? '' };
}

/** Scrolls the tracks so content y is near the top; returns the canvas-relative y of content y. */
export async function scrollTo(view: ChangeTracksView, y: number): Promise<number> {
  const top = await view.root.locator('.scroll').evaluate((el, target) => {
    el.scrollTop = Math.max(0, target - 20);
    el.dispatchEvent(new Event('scroll'));
    return el.scrollTop;
  }, y);
  return y - top;
}

/** The canvas x of time t, given the window and the 64 px gutter the timeline uses. */
export async function xOf(view: ChangeTracksView, t: number): Promise<number> {
  const [t0, t1] = await view.window();
  const box = await view.canvas.boundingBox();
  const w = box?.width ?? 800;
  return 64 + ((t - t0) / Math.max(1, t1 - t0)) * (w - 64);
}

// The timeline benchmark page (#bench-timeline=<slices>,<cpus>): a full-window
// timeline over a synthetic run, with paint records in window.__timelineBench.
import { expect, type Locator, type Page } from '@playwright/test';

export interface BenchPaint {
  ms: number;
  maxRects: number;
  at: number;
}

export class TimelineBenchPage {
  readonly canvas: Locator;

  constructor(private readonly page: Page) {
    this.canvas = page.getByTestId('timeline-canvas');
  }

  async open(slices: number, cpus: number): Promise<void> {
    await this.page.goto(`/#bench-timeline=${slices},${cpus}`);
    await expect(this.page.getByTestId('timeline-bench')).toHaveAttribute('data-total', String(slices), { timeout: 30_000 });
    await expect.poll(() => this.paints().then((p) => p.some((x) => x.maxRects > 0)), { timeout: 30_000 }).toBe(true);
  }

  paints(): Promise<BenchPaint[]> {
    return this.page.evaluate(() => (window as unknown as { __timelineBench: { paints: BenchPaint[] } }).__timelineBench.paints.slice());
  }

  queries(): Promise<{ ms: number; slices: number }[]> {
    return this.page.evaluate(() => (window as unknown as { __timelineBench: { queries: { ms: number; slices: number }[] } }).__timelineBench.queries.slice());
  }

  buildMs(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as { __timelineBench: { buildMs: number } }).__timelineBench.buildMs);
  }

  async clearPaints(): Promise<void> {
    await this.page.evaluate(() => {
      const b = (window as unknown as { __timelineBench: { paints: unknown[]; queries: unknown[] } }).__timelineBench;
      b.paints.length = 0;
      b.queries.length = 0;
    });
  }

  async holdKey(key: string, ms: number): Promise<void> {
    await this.page.keyboard.down(key);
    await this.page.waitForTimeout(ms);
    await this.page.keyboard.up(key);
  }
}

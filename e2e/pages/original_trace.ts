// The imported trace from a real machine: dropping a file on the window, and
// the original's tracks and wakeup latency histograms under the timeline.
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export class OriginalTrace {
  readonly root: Locator;
  readonly lanes: Locator;
  readonly overlay: Locator;
  readonly originalHistogram: Locator;
  readonly simulatedHistogram: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('original-trace');
    this.lanes = page.getByTestId('original-lanes');
    this.overlay = page.getByTestId('drop-overlay');
    this.originalHistogram = page.getByTestId('latency-hist-original');
    this.simulatedHistogram = page.getByTestId('latency-hist-simulated');
  }

  /** Drag a file from disk over the window and drop it, as a user would from a file manager. */
  async dropFile(path: string, opts: { holdOverlay?: boolean } = {}): Promise<void> {
    const data = readFileSync(path).toString('base64');
    const dt = await this.page.evaluateHandle(
      ({ data, name }) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const t = new DataTransfer();
        t.items.add(new File([bytes], name));
        return t;
      },
      { data, name: basename(path) },
    );
    await this.page.dispatchEvent('body', 'dragenter', { dataTransfer: dt });
    await this.page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
    await expect(this.overlay).toBeVisible();
    if (opts.holdOverlay) return;
    await this.page.dispatchEvent('body', 'drop', { dataTransfer: dt });
    await expect(this.overlay).toHaveCount(0);
  }

  /** Slices drawn on the original's lanes. */
  async slicesDrawn(): Promise<number> {
    return Number(await this.lanes.getAttribute('data-slices'));
  }
}

// The source pane inside the debugger panel: the shown line (data-current-line),
// the highlighted line's text, and the gutter counts the panel publishes
// (data-counts "line:text;…" for the window in data-window "t0,t1").
import { expect, type Locator, type Page } from '@playwright/test';

export class SourcePaneView {
  readonly pane: Locator;
  readonly current: Locator;
  readonly counts: Locator;

  constructor(readonly page: Page) {
    this.pane = page.getByTestId('debug-panel').locator('.source-pane');
    this.current = this.pane.locator('.cm-debug-current');
    this.counts = page.getByTestId('source-counts');
  }

  async expectLine(line: number, text: string | RegExp): Promise<void> {
    await expect(this.pane).toHaveAttribute('data-current-line', String(line));
    await expect(this.current).toContainText(text);
  }

  /** The gutter's counts by line, and the window they are for. */
  async gutter(): Promise<{ t0: number; t1: number; lines: Map<number, string> }> {
    const [t0, t1] = ((await this.counts.getAttribute('data-window')) ?? '').split(',').map(Number);
    const attr = (await this.counts.getAttribute('data-counts')) ?? '';
    const lines = new Map(attr.split(';').filter(Boolean).map((x) => {
      const i = x.indexOf(':');
      return [Number(x.slice(0, i)), x.slice(i + 1)] as [number, string];
    }));
    return { t0: t0!, t1: t1!, lines };
  }
}

// Range selection and the drawer's Range tab (RangePanel.svelte): Shift+drag
// across the CPU lanes, the shades over the lanes and the change tracks, and
// the tables, whose rows publish their raw figures as data attributes.
import { expect, type Locator, type Page } from '@playwright/test';
import type { TimelineView } from './timeline_view';

export class RangePanelView {
  readonly tab: Locator;
  readonly panel: Locator;
  readonly shade: Locator;
  readonly changeShade: Locator;
  readonly tasks: Locator;
  readonly ops: Locator;
  readonly lines: Locator;
  readonly dsqs: Locator;

  constructor(private readonly page: Page) {
    this.tab = page.getByTestId('range-tab');
    this.panel = page.getByTestId('range-panel');
    this.shade = page.getByTestId('range-shade');
    this.changeShade = page.getByTestId('change-range-shade');
    this.tasks = page.getByTestId('range-tasks').locator('tbody tr[data-pid]');
    this.ops = page.getByTestId('range-ops').locator('tbody tr[data-op]');
    this.lines = page.getByTestId('range-lines').locator('tbody tr[data-line]');
    this.dsqs = page.getByTestId('range-dsqs').locator('tbody tr[data-dsq]');
  }

  /** Drag across CPU `cpu`'s lane from instant a to instant b, Shift held (Shift+drag selects; without it the drag pans). */
  async drag(timeline: TimelineView, a: number, b: number, opts: { shift?: boolean; cpu?: string } = {}): Promise<void> {
    const box = (await timeline.canvas.boundingBox())!;
    const y = box.y + (await timeline.rowY(opts.cpu ?? '0'));
    const xa = box.x + (await timeline.xOf(a));
    const xb = box.x + (await timeline.xOf(b));
    const shift = opts.shift ?? true;
    if (shift) await this.page.keyboard.down('Shift');
    await this.page.mouse.move(xa, y);
    await this.page.mouse.down();
    await this.page.mouse.move(xb, y, { steps: 10 });
    await this.page.mouse.up();
    if (shift) await this.page.keyboard.up('Shift');
  }

  /** The range the panel's figures are for, once the answer is in: [t0, t1) in ns. */
  async shown(): Promise<[number, number]> {
    await expect(this.panel).toHaveAttribute('data-t0', /\d/);
    await expect(this.panel).toHaveAttribute('data-busy', 'false');
    return [Number(await this.panel.getAttribute('data-t0')), Number(await this.panel.getAttribute('data-t1'))];
  }

  /** Every row's data attributes (the ones named), in table order. */
  async rows(rows: Locator, attrs: string[]): Promise<Record<string, string>[]> {
    return rows.evaluateAll((els, names) => els.map((el) => Object.fromEntries(names.map((n) => [n, el.getAttribute(`data-${n}`) ?? '']))), attrs);
  }
}

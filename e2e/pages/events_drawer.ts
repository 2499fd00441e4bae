// The bottom drawer: events in view (with a kind filter) and diagnostics.
import type { Locator, Page } from '@playwright/test';

export class EventsDrawer {
  readonly root: Locator;
  readonly rows: Locator;
  readonly count: Locator;
  readonly diagnosticsTab: Locator;
  readonly diagnostics: Locator;
  readonly table: Locator;
  /** The row of the event at the cursor (highlighted), or, when the cursor is between events, the first one after it (a cursor line above it). */
  readonly cursorRow: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('events-drawer');
    this.rows = page.getByTestId('events-table').locator('.row');
    this.count = page.getByTestId('event-count');
    this.diagnosticsTab = page.getByTestId('diagnostics-tab');
    this.diagnostics = page.getByTestId('diagnostics');
    this.table = page.getByTestId('events-table');
    this.cursorRow = this.table.locator('.row.at-cursor, .row.after-cursor');
  }

  /** Whether the cursor's row lies inside the table's visible area. */
  async cursorRowOnScreen(): Promise<boolean> {
    const t = (await this.table.boundingBox())!;
    const r = await this.cursorRow.boundingBox();
    return !!r && r.y >= t.y - 1 && r.y + r.height <= t.y + t.height + 1;
  }

  scrollTop(): Promise<number> {
    return this.page.getByTestId('events-table').evaluate((el) => el.scrollTop);
  }

  async filterKind(kind: string): Promise<void> {
    await this.page.getByTestId('event-kind').selectOption(kind);
  }
}

// The bottom drawer: events in view (with a kind filter) and diagnostics.
import type { Locator, Page } from '@playwright/test';

export class EventsDrawer {
  readonly root: Locator;
  readonly rows: Locator;
  readonly count: Locator;
  readonly diagnosticsTab: Locator;
  readonly diagnostics: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('events-drawer');
    this.rows = page.getByTestId('events-table').locator('.row');
    this.count = page.getByTestId('event-count');
    this.diagnosticsTab = page.getByTestId('diagnostics-tab');
    this.diagnostics = page.getByTestId('diagnostics');
  }

  scrollTop(): Promise<number> {
    return this.page.getByTestId('events-table').evaluate((el) => el.scrollTop);
  }

  async filterKind(kind: string): Promise<void> {
    await this.page.getByTestId('event-kind').selectOption(kind);
  }
}

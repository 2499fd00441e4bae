// The empty state: what to do first, and the examples one click away.
import type { Locator, Page } from '@playwright/test';

export class EmptyState {
  readonly root: Locator;
  readonly examples: Locator;
  readonly traces: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('empty-state');
    this.examples = page.getByTestId('examples').getByRole('button');
    this.traces = page.getByTestId('example-traces').getByRole('button');
  }

  async openExample(name: string): Promise<void> {
    await this.page.getByTestId(`example-${name}`).click();
  }

  async openExampleTrace(name: string): Promise<void> {
    await this.page.getByTestId(`trace-${name}`).click();
  }
}

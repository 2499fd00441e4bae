// The error banner: the file concerned and what is wrong.
import type { Locator, Page } from '@playwright/test';

export class ErrorBanner {
  readonly root: Locator;
  readonly file: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('alert');
    this.file = page.getByTestId('error-file');
  }

  async dismiss(): Promise<void> {
    await this.root.getByRole('button', { name: 'Dismiss error' }).click();
  }
}

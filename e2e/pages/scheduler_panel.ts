// The left panel: the loaded scheduler's ops, maps, knobs and kfuncs.
import type { Locator, Page } from '@playwright/test';

export class SchedulerPanel {
  readonly root: Locator;
  readonly name: Locator;
  readonly ops: Locator;
  readonly maps: Locator;
  readonly kfuncs: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('scheduler-panel');
    this.name = page.getByTestId('scheduler-name');
    this.ops = page.getByTestId('ops-list').locator('li .op');
    this.maps = page.getByTestId('maps-list').locator('li');
    this.kfuncs = page.getByTestId('kfuncs-list').locator('li');
  }

  opNames(): Promise<string[]> {
    return this.ops.allTextContents();
  }
}

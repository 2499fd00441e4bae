// State at the cursor: runqueues, rbtrees and lists, kptr slots, heap objects.
import type { Locator, Page } from '@playwright/test';

export class StatePanel {
  readonly root: Locator;
  readonly runqueues: Locator;
  readonly runningTasks: Locator;
  readonly queuedTasks: Locator;
  readonly rbtrees: Locator;
  readonly rbtreeNodes: Locator;
  readonly heapRows: Locator;
  readonly kptrSlots: Locator;
  readonly inspector: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('state-panel');
    this.runqueues = page.getByTestId('runqueues');
    this.runningTasks = this.runqueues.locator('tbody tr td:nth-child(2) [data-pid]');
    this.queuedTasks = this.runqueues.locator('[data-pid]');
    this.rbtrees = page.getByTestId('rbtree');
    this.rbtreeNodes = this.rbtrees.locator('g.node');
    this.heapRows = page.getByTestId('heap-objects').locator('tbody tr');
    this.kptrSlots = page.getByTestId('kptr-slots').locator('tbody tr');
    this.inspector = page.getByTestId('selection-inspector');
  }
}

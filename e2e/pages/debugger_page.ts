// The whole debugger window: opens the UI and hands out one page object per area.
import { expect, type Page, type TestInfo } from '@playwright/test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Toolbar } from './toolbar';
import { ErrorBanner } from './error_banner';
import { SchedulerPanel } from './scheduler_panel';
import { EmptyState } from './empty_state';
import { TimelineView } from './timeline_view';
import { StatePanel } from './state_panel';
import { EventsDrawer } from './events_drawer';

export class DebuggerPage {
  readonly toolbar: Toolbar;
  readonly banner: ErrorBanner;
  readonly scheduler: SchedulerPanel;
  readonly empty: EmptyState;
  readonly timeline: TimelineView;
  readonly state: StatePanel;
  readonly drawer: EventsDrawer;

  constructor(readonly page: Page) {
    this.toolbar = new Toolbar(page);
    this.banner = new ErrorBanner(page);
    this.scheduler = new SchedulerPanel(page);
    this.empty = new EmptyState(page);
    this.timeline = new TimelineView(page);
    this.state = new StatePanel(page);
    this.drawer = new EventsDrawer(page);
  }

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.toolbar.root).toBeVisible();
  }

  /**
   * Save a screenshot of the window as a test artifact under test-results/.
   * `docs: true` marks the one that is also the README image: it is copied to
   * the tracked docs/screenshot.png only when SCXRAY_REFRESH_DOCS_SCREENSHOT=1
   * (scripts/refresh-screenshot.mjs), never on an ordinary test run.
   */
  async screenshot(testInfo: TestInfo, name: string, opts: { docs?: boolean } = {}): Promise<void> {
    const path = testInfo.outputPath(`${name}.png`);
    await this.page.screenshot({ path });
    await testInfo.attach(name, { path, contentType: 'image/png' });
    if (opts.docs && process.env.SCXRAY_REFRESH_DOCS_SCREENSHOT === '1') {
      const docs = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshot.png');
      mkdirSync(dirname(docs), { recursive: true });
      copyFileSync(path, docs);
    }
  }
}

// The setup module picker and the compound knob fields of the scheduler
// panel, and the setup markers on the timeline.
import type { Locator, Page } from '@playwright/test';

export class SetupModulePanel {
  readonly root: Locator;
  readonly chooseButton: Locator;
  readonly fileInput: Locator;
  readonly file: Locator;
  readonly runsCode: Locator;
  readonly clear: Locator;
  readonly markers: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('setup-module');
    this.chooseButton = page.getByTestId('setup-choose');
    this.fileInput = page.getByTestId('setup-file-input');
    this.file = page.getByTestId('setup-file');
    this.runsCode = page.getByTestId('setup-runs-code');
    this.clear = page.getByTestId('setup-clear');
    this.markers = page.getByTestId('setup-marker');
  }

  async choose(path: string): Promise<void> {
    await this.fileInput.setInputFiles(path);
  }

  /** The input of one knob leaf, e.g. "pair_cpu[1]" or "cfg.slice_ns". */
  knobField(path: string): Locator {
    return this.page.getByTestId(`knob-${path}`);
  }
}

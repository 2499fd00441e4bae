// The toolbar: open object / trace, run controls, replay, time readout.
import type { Locator, Page } from '@playwright/test';

export class Toolbar {
  readonly root: Locator;
  readonly runButton: Locator;
  readonly pauseButton: Locator;
  readonly runState: Locator;
  readonly timeReadout: Locator;
  readonly replayPlay: Locator;
  readonly stepNext: Locator;
  readonly stepPrev: Locator;
  /** The exit kind and reason next to the run state once the scheduler was ejected. */
  readonly runExit: Locator;
  readonly runProgress: Locator;
  /** "Save trace as…", offered once a live run has finished or was stopped. */
  readonly saveTrace: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByRole('toolbar', { name: 'Debugger toolbar' });
    this.runButton = page.getByTestId('run');
    this.pauseButton = page.getByTestId('pause');
    this.runState = page.getByTestId('run-state');
    this.timeReadout = page.getByTestId('time-readout');
    this.replayPlay = page.getByTestId('replay-play');
    this.stepNext = page.getByTestId('step-next');
    this.stepPrev = page.getByTestId('step-prev');
    this.runExit = page.getByTestId('run-exit');
    this.runProgress = page.getByTestId('run-progress');
    this.saveTrace = page.getByTestId('save-trace');
  }

  /** "Open scheduler object…" in a browser: the upload input behind the button. */
  async openObjectFile(path: string): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByTestId('open-object').click();
    await (await chooser).setFiles(path);
  }

  async openTraceFile(path: string): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByTestId('open-trace').click();
    await (await chooser).setFiles(path);
  }

  async chooseRun(opts: { workload?: string; cpus?: number; seed?: number; duration?: string }): Promise<void> {
    if (opts.workload) await this.page.getByTestId('workload').selectOption(opts.workload);
    if (opts.cpus) await this.page.getByTestId('cpus').selectOption(String(opts.cpus));
    if (opts.seed !== undefined) await this.page.getByTestId('seed').fill(String(opts.seed));
    if (opts.duration) await this.page.getByTestId('duration').selectOption({ label: opts.duration });
  }

  async workloads(): Promise<string[]> {
    return this.page.getByTestId('workload').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  }
}

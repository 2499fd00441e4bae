// The debugger panel on the right: source pane with its breakpoint gutter,
// the controls, the stop status, and the paused-state tabs.
import type { Locator, Page } from '@playwright/test';

export class DebugPanel {
  readonly toggle: Locator;
  readonly root: Locator;
  readonly source: Locator;
  readonly status: Locator;
  readonly pausedLine: Locator;
  readonly breakpoints: Locator;
  readonly registers: Locator;
  readonly memory: Locator;

  constructor(readonly page: Page) {
    this.toggle = page.getByRole('button', { name: /Debug$/ });
    this.root = page.getByTestId('debug-panel');
    this.source = this.root.locator('.source-pane');
    this.status = page.getByTestId('debug-status');
    this.pausedLine = page.getByTestId('paused-line');
    this.breakpoints = page.getByTestId('breakpoint-list').locator('li');
    this.registers = page.getByTestId('registers');
    this.memory = page.getByTestId('memory-view');
  }

  /** Click the breakpoint gutter beside source line `line` (1-based). */
  /** The line-number gutter cell of `line`, scrolled into view (CodeMirror renders only the lines near the viewport). */
  async lineNumber(line: number): Promise<Locator> {
    const number = this.source.locator('.cm-lineNumbers .cm-gutterElement').filter({ hasText: new RegExp(`^${line}$`) });
    const scroller = this.source.locator('.cm-scroller');
    // scroll down until CodeMirror has rendered the line (it renders only what is near the viewport)
    for (let i = 0; i < 50 && (await number.count()) === 0; i++) await scroller.evaluate((el) => el.scrollBy(0, 200));
    await number.scrollIntoViewIfNeeded();
    return number;
  }

  async toggleBreakpoint(line: number): Promise<void> {
    // the breakpoint gutter cell on the same row as the line number
    const number = await this.lineNumber(line);
    const n = (await number.boundingBox())!;
    const g = (await this.source.locator('.cm-bp-gutter').boundingBox())!;
    await this.page.mouse.click(g.x + g.width / 2, n.y + n.height / 2);
  }

  button(name: string): Locator {
    return this.root.getByRole('toolbar', { name: 'Debugger controls' }).getByRole('button', { name, exact: true });
  }

  tab(name: string): Locator {
    return this.root.getByRole('button', { name, exact: true });
  }

  register(name: string): Locator {
    return this.registers.locator(`tr[data-reg="${name}"]`);
  }

  async showMemory(expr: string): Promise<void> {
    await this.tab('Memory').click();
    await this.root.getByLabel('Memory expression').fill(expr);
    await this.root.getByRole('button', { name: 'Show', exact: true }).click();
  }

  /** The current line CodeMirror highlights. */
  currentLineText(): Locator {
    return this.source.locator('.cm-debug-current');
  }
}

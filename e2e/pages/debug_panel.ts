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
  async toggleBreakpoint(line: number): Promise<void> {
    // the breakpoint gutter cell on the same row as the line number
    const number = this.source.locator('.cm-lineNumbers .cm-gutterElement').filter({ hasText: new RegExp(`^${line}$`) });
    await number.scrollIntoViewIfNeeded();
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

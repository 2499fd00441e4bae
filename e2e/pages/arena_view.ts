// The Arenas card of the state panel: one block per BPF arena with its
// mapped-page runs, pages in use and unmapped accesses.
import type { Locator, Page } from '@playwright/test';

export class ArenaView {
  readonly root: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('arenas');
  }

  arena(name: string): Locator {
    return this.root.locator(`[data-arena="${name}"]`);
  }

  /** What the block of arena `name` shows, as numbers. */
  async figures(name: string): Promise<{ inUse: number; max: number; reads: number; writes: number; runs: { page: number; count: number; kind: string }[] }> {
    const a = this.arena(name);
    const num = async (id: string) => Number(await a.getByTestId(id).textContent());
    const rows = a.locator('tbody tr');
    const runs: { page: number; count: number; kind: string }[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const r = rows.nth(i);
      runs.push({
        page: Number(await r.getAttribute('data-run-page')),
        count: Number(await r.getByTestId('run-count').textContent()),
        kind: (await r.getAttribute('data-run-kind')) ?? '',
      });
    }
    return { inUse: await num('arena-in-use'), max: await num('arena-max'), reads: await num('arena-unmapped-reads'), writes: await num('arena-unmapped-writes'), runs };
  }
}

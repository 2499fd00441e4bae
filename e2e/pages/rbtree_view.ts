// The trees and lists card of the state panel over time (GraphRootsView,
// RbtreeView, TreeDiffControl): the diff control and its marks, what the
// tree's SVG draws (node positions from their transforms), whether it is
// animating. Also reads the state at an instant with the real CLI
// (`scxray replay --at`), for the expected values.
import { expect, type Locator, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { SimSnapshot } from '../../src/model/events';

const ROOT = resolve(import.meta.dirname, '..', '..');

export class TreesOverTime {
  readonly roots: Locator;
  readonly tree: Locator;
  readonly svg: Locator;
  readonly nodes: Locator;
  readonly added: Locator;
  readonly moved: Locator;
  readonly ghosts: Locator;
  readonly leaving: Locator;
  readonly pin: Locator;
  readonly at: Locator;
  readonly summary: Locator;
  readonly clear: Locator;

  constructor(readonly page: Page) {
    this.roots = page.getByTestId('graph-roots');
    this.tree = page.getByTestId('rbtree').first();
    this.svg = this.tree.locator('svg');
    this.nodes = this.svg.locator('g.node');
    this.added = this.svg.locator('g.node.added');
    this.moved = this.svg.locator('g.node.moved');
    this.ghosts = this.svg.locator('g.ghost');
    this.leaving = this.svg.locator('g.leaving');
    const diff = page.getByTestId('tree-diff');
    this.pin = diff.getByTestId('tree-diff-pin');
    this.at = diff.getByTestId('tree-diff-at');
    this.summary = diff.getByTestId('tree-diff-summary');
    this.clear = diff.getByTestId('tree-diff-clear');
  }

  /** Waits until the card shows the state at exactly t (ns). */
  async expectAt(t: number): Promise<void> {
    await expect(this.roots).toHaveAttribute('data-t', String(t), { timeout: 20_000 });
  }

  async ids(nodes: Locator): Promise<number[]> {
    return (await nodes.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-obj'))))).sort((a, b) => a - b);
  }

  /** Drawn node centres by object id, read from their transforms. */
  async positions(): Promise<Map<number, { x: number; y: number; scale: number }>> {
    const rows = await this.nodes.evaluateAll((els) =>
      els.map((e) => {
        const m = /translate\(([-\d.e]+),\s*([-\d.e]+)\)\s*scale\(([-\d.e]+)\)/.exec(e.getAttribute('transform') ?? '');
        return [Number(e.getAttribute('data-obj')), m ? { x: Number(m[1]), y: Number(m[2]), scale: Number(m[3]) } : null] as const;
      }),
    );
    const out = new Map<number, { x: number; y: number; scale: number }>();
    for (const [id, p] of rows) {
      if (!p) throw new Error(`node #${id} has no translate/scale transform`);
      out.set(id, p);
    }
    return out;
  }

  /** Starts recording every value the tree SVG's data-animating takes; read them with animationLog(). */
  async recordAnimation(): Promise<void> {
    await this.svg.evaluate((svg) => {
      const log: string[] = [];
      (window as unknown as { __treeAnim: string[] }).__treeAnim = log;
      new MutationObserver(() => log.push(svg.getAttribute('data-animating') ?? '')).observe(svg, { attributes: true, attributeFilter: ['data-animating'] });
    });
  }

  async animationLog(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __treeAnim?: string[] }).__treeAnim ?? []);
  }

  async expectSettled(): Promise<void> {
    await expect(this.svg).toHaveAttribute('data-animating', '0');
    await expect(this.leaving).toHaveCount(0);
  }
}

/** The state at t (ns) of a recorded trace, by `scxray replay --at --json`. */
export function snapshotAt(trace: string, t: number): SimSnapshot {
  const r = spawnSync(process.execPath, [resolve(ROOT, 'bin', 'scxray.mjs'), 'replay', trace, '--at', `${t}ns`, '--json'], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`scxray replay --at ${t}ns failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as SimSnapshot;
}

/** Events of a recorded trace in [t0, t1) ns, by `scxray replay --events --json` (one JSON object a line). */
export function eventsIn(trace: string, t0: number, t1: number): { t: number; kind: string; [k: string]: unknown }[] {
  const r = spawnSync(process.execPath, [resolve(ROOT, 'bin', 'scxray.mjs'), 'replay', trace, '--events', `${t0}ns..${t1}ns`, '--json'], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`scxray replay --events failed (${r.status}): ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

// The flow arrows over the CPU lanes (FlowOverlay.svelte) and the kick and
// preemption markers in the marker strip (SchedMarkers.svelte). The overlay
// publishes its subject and counts as data attributes; each endpoint carries
// its time, CPU and step kinds.
import { expect, type Locator, type Page } from '@playwright/test';

export class FlowsView {
  readonly overlay: Locator;
  readonly nodes: Locator;
  readonly arrows: Locator;
  readonly tip: Locator;
  readonly kickMarkers: Locator;
  readonly preemptMarkers: Locator;

  constructor(private readonly page: Page) {
    this.overlay = page.getByTestId('flow-overlay');
    this.nodes = page.getByTestId('flow-node');
    this.arrows = page.getByTestId('flow-arrow');
    this.tip = page.getByTestId('flow-tip');
    this.kickMarkers = page.getByTestId('kick-marker');
    this.preemptMarkers = page.getByTestId('preempt-marker');
  }

  async count(attr: 'chains' | 'steps' | 'arrows' | 'nodes'): Promise<number> {
    return Number(await this.overlay.getAttribute(`data-${attr}`));
  }

  /** Waits until the overlay shows flows of `subject` ("task 5", "obj 12") with at least one arrow. */
  async expectShown(subject: string): Promise<void> {
    await expect(this.overlay).toHaveAttribute('data-subject', subject, { timeout: 15_000 });
    await expect.poll(() => this.count('arrows'), { timeout: 15_000 }).toBeGreaterThan(0);
  }

  /** Every endpoint: its time, CPU and the kinds of the steps it stands for. */
  async endpoints(): Promise<{ t: number; cpu: number; kinds: string[] }[]> {
    return this.nodes.evaluateAll((els) =>
      els.map((el) => ({ t: Number(el.getAttribute('data-t')), cpu: Number(el.getAttribute('data-cpu')), kinds: (el.getAttribute('data-kinds') ?? '').split('+') })),
    );
  }

  /** Moves the pointer onto the middle of arrow `i`. */
  async hoverArrow(i: number): Promise<void> {
    const p = await this.arrows.nth(i).evaluate((el) => {
      const path = el as SVGPathElement;
      const pt = path.getPointAtLength(path.getTotalLength() / 2);
      const box = path.ownerSVGElement!.getBoundingClientRect();
      return { x: box.left + pt.x, y: box.top + pt.y };
    });
    await this.page.mouse.move(p.x, p.y);
  }

  /** Index of an arrow at least `len` px long whose middle lies inside the plot, or -1. */
  async longArrow(minX: number, maxX: number, len: number): Promise<number> {
    const arrows = await this.arrows.evaluateAll((els) =>
      els.map((el) => {
        const path = el as SVGPathElement;
        const total = path.getTotalLength();
        return { x: path.getPointAtLength(total / 2).x, total };
      }),
    );
    return arrows.findIndex((p) => p.total >= len && p.x > minX + 10 && p.x < maxX - 10);
  }
}

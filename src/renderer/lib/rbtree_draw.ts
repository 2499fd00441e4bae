// Draws one rbtree into an <svg> with d3 joins keyed by node ref, and moves it
// from instant to instant with a d3 transition whose every tick draws a frame
// of lib/tree_motion (so what the transition shows is the tested motion, and
// its last tick is the static layout). In the diff mode, the layout holds the
// nodes removed since T too (rbtree_layout withRemovedNodes), marked
// 'removed': they are drawn as ghosts.
import { easeCubicInOut, select, type Selection } from 'd3';
import type { NodeMark } from './rbtree_diff';
import type { NodeBox, TreeLayout, TreeNodeLayout } from './rbtree_layout';
import { frameAt, membershipChanges, MOTION_MS, planMotion, staticFrame, type LinkFrame, type NodeFrame, type TreeFrame } from './tree_motion';

const MOTION = 'tree-motion';
const BADGE: Record<Exclude<NodeMark, 'removed'>, string> = { added: '+', moved: '↕' };
const MARK_TEXT: Record<NodeMark, string> = {
  added: 'added since the diff instant',
  moved: 'moved since the diff instant',
  removed: 'removed since the diff instant (drawn where it sat in key order then)',
};

interface Size {
  width: number;
  height: number;
}

export class RbtreeDrawing {
  readonly #svg: Selection<SVGSVGElement, unknown, null, undefined>;
  readonly #links: Selection<SVGGElement, unknown, null, undefined>;
  readonly #nodes: Selection<SVGGElement, unknown, null, undefined>;
  #shown: TreeFrame = { nodes: [], links: [], leaving: new Set() };
  #size: Size = { width: 0, height: 0 };
  /** What each ref looks like (labels, colour, diff mark), from the newest layout; leaving nodes keep theirs. */
  #info = new Map<string, TreeNodeLayout>();
  #marks = new Map<number, NodeMark>();
  #box: NodeBox = { w: 52, h: 24, twoLines: false };
  #selected: number | null = null;
  /** Set by show(): the next frame restyles every node (labels, colours, marks); other frames only move them. */
  #restyle = false;

  constructor(svg: SVGSVGElement, private readonly onPick: (id: number) => void) {
    this.#svg = select(svg);
    this.#svg.selectAll('*').remove();
    this.#links = this.#svg.append('g').attr('class', 'links');
    this.#nodes = this.#svg.append('g').attr('class', 'nodes');
  }

  /** Show `layout`; animated from what is on screen, or at once. Either way it ends drawn exactly as `layout`. */
  show(layout: TreeLayout, box: NodeBox, marks: Map<number, NodeMark>, animate: boolean): void {
    this.#svg.interrupt(MOTION);
    this.#box = box;
    this.#marks = marks;
    this.#restyle = true;
    for (const n of layout.nodes) this.#info.set(n.ref, n);
    const final = { width: layout.width, height: layout.height };
    const settle = () => {
      this.#apply(staticFrame(layout));
      this.#resize(final);
      this.#svg.attr('data-animating', '0');
      const live = new Set(layout.nodes.map((n) => n.ref));
      for (const ref of this.#info.keys()) if (!live.has(ref)) this.#info.delete(ref);
    };
    if (!animate) {
      settle();
      return;
    }
    const motion = planMotion(this.#shown, layout);
    this.#resize({ width: Math.max(final.width, this.#size.width), height: Math.max(final.height, this.#size.height) });
    this.#svg.attr('data-animating', '1');
    this.#svg
      .transition(MOTION)
      .duration(MOTION_MS)
      .ease(easeCubicInOut)
      .tween('frame', () => (p: number) => this.#apply(frameAt(motion, p)))
      .on('end', settle);
  }

  /** Nodes that going to `layout` would add or remove on screen. */
  changesTo(layout: TreeLayout): number {
    return membershipChanges(this.#shown, layout);
  }

  setSelected(id: number | null): void {
    this.#selected = id;
    this.#nodes
      .selectAll<SVGGElement, NodeFrame>('g.node')
      .classed('selected', (d) => this.#isSelected(d.ref))
      .attr('aria-selected', (d) => String(this.#isSelected(d.ref)));
  }

  destroy(): void {
    this.#svg.interrupt(MOTION);
    this.#svg.selectAll('*').remove();
  }

  #isSelected(ref: string): boolean {
    return this.#selected !== null && ref === String(this.#selected);
  }

  #resize(s: Size): void {
    this.#size = s;
    this.#svg.attr('viewBox', `0 0 ${s.width} ${s.height}`).style('width', `${s.width}px`);
  }

  #apply(frame: TreeFrame): void {
    this.#shown = frame;
    this.#links
      .selectAll<SVGLineElement, LinkFrame>('line')
      .data(frame.links, (d) => d.ref)
      .join('line')
      .attr('class', (d) => (frame.leaving.has(d.ref) ? 'link leaving' : this.#marks.get(Number(d.toRef)) === 'removed' ? 'link to-ghost' : 'link'))
      .attr('x1', (d) => d.x1)
      .attr('y1', (d) => d.y1)
      .attr('x2', (d) => d.x2)
      .attr('y2', (d) => d.y2)
      .attr('opacity', (d) => d.opacity);
    const nodes = this.#nodes
      .selectAll<SVGGElement, NodeFrame>('g.item')
      .data(frame.nodes, (d) => d.ref)
      .join((enter) =>
        enter.append('g').each((d, i, els) => {
          this.#build(select(els[i]!), d.ref);
          this.#style(select(els[i]!), d.ref, frame.leaving.has(d.ref));
        }),
      );
    if (this.#restyle) nodes.each((d, i, els) => this.#style(select(els[i]!), d.ref, frame.leaving.has(d.ref)));
    this.#restyle = false;
    nodes
      .attr('transform', (d) => `translate(${d.x}, ${d.y}) scale(${d.scale})`)
      .attr('opacity', (d) => d.opacity);
  }

  /** Makes a node's parts once; #style fills them. */
  #build(g: Selection<SVGGElement, unknown, null, undefined>, ref: string): void {
    const n = this.#info.get(ref);
    if (!n || n.nil) {
      g.append('rect').attr('class', 'nil').attr('x', -6).attr('y', -5).attr('width', 12).attr('height', 10).attr('rx', 1);
      return;
    }
    g.attr('role', 'treeitem')
      .attr('tabindex', 0)
      .attr('data-obj', n.id)
      .on('click', () => this.onPick(n.id))
      .on('keydown', (e: KeyboardEvent) => e.key === 'Enter' && this.onPick(n.id));
    g.append('title');
    g.append('rect').attr('class', 'ring').attr('rx', 11);
    g.append('rect').attr('class', 'body').attr('rx', 8);
    g.append('text').attr('class', 'id').attr('text-anchor', 'middle');
    g.append('text').attr('class', 'key').attr('text-anchor', 'middle').attr('y', 11);
    const badge = g.append('g').attr('class', 'badge');
    badge.append('circle').attr('r', 7);
    badge.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em');
  }

  #style(g: Selection<SVGGElement, unknown, null, undefined>, ref: string, leaving: boolean): void {
    const n = this.#info.get(ref);
    if (!n || n.nil) {
      g.attr('class', leaving ? 'item nil-item leaving' : 'item nil-item');
      return;
    }
    const mark = leaving ? undefined : this.#marks.get(n.id);
    // A leaving node is no longer a node of this instant: only 'leaving', so counts of g.node are the tree's now;
    // a ghost (removed since the diff instant) is not one either.
    g.attr('class', leaving ? 'item leaving' : mark === 'removed' ? 'item ghost' : 'item node')
      .classed('red', n.red === true)
      .classed('uncoloured', n.red === null)
      .classed('added', mark === 'added')
      .classed('moved', mark === 'moved')
      .classed('selected', !leaving && mark !== 'removed' && this.#isSelected(ref))
      .attr('aria-selected', String(!leaving && mark !== 'removed' && this.#isSelected(ref)))
      .attr('data-mark', mark ?? null);
    // sizes follow the box, which changes with the longest label of the instant
    const { w, h } = this.#box;
    g.select('rect.ring').attr('x', -w / 2 - 4).attr('y', -h / 2 - 4).attr('width', w + 8).attr('height', h + 8);
    g.select('rect.body').attr('x', -w / 2).attr('y', -h / 2).attr('width', w).attr('height', h);
    g.select('.badge').attr('transform', `translate(${w / 2 - 2}, ${-h / 2 + 2})`);
    g.select('title').text(mark ? `${n.label} · ${MARK_TEXT[mark]}` : n.label);
    g.select('text.id').text(`#${n.id}`).attr('y', this.#box.twoLines ? -4 : 0).attr('dy', this.#box.twoLines ? null : '0.35em');
    g.select('text.key').text(this.#box.twoLines ? n.key : '');
    g.select('.badge').attr('display', mark && mark !== 'removed' ? null : 'none').select('text').text(mark && mark !== 'removed' ? BADGE[mark] : '');
  }
}

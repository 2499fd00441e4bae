// Keeps the timeline fed with run slices for what is on screen: asks the
// session for a window a little wider than the view (so small pans need no
// round trip) at the view's ns-per-pixel, one request in flight at a time,
// the latest wish winning. Stale data keeps being drawn until fresh arrives.
// An answer may reach less far than asked (its t1: a big trace still being
// indexed answers from what is ready); the rest is asked for again.
import type { RunSlices } from '../../protocol/contract';
import { buildLanes, type SliceLanes } from './slice_lanes';

export interface SliceWindow {
  t0: number;
  t1: number;
  nsPerPx: number;
}

export type FetchSlices = (w: SliceWindow) => Promise<RunSlices>;

/** True when `have` (fetched for version `haveVersion`) can draw `want` without refetching. */
export function covers(have: SliceWindow, want: SliceWindow): boolean {
  return (
    have.t0 <= want.t0 &&
    have.t1 >= want.t1 &&
    // Finer data than needed is fine up to 4x (the walk merges it); coarser by more than 1.5x shows blocks.
    have.nsPerPx <= want.nsPerPx * 1.5 &&
    have.nsPerPx >= want.nsPerPx / 4
  );
}

/** The window to request for a view: one view-width of margin each side, clamped to [0, end]. */
export function requestWindow(view: SliceWindow, end: number): SliceWindow {
  const span = view.t1 - view.t0;
  return {
    t0: Math.max(0, view.t0 - span),
    t1: Math.max(Math.min(end, view.t1 + span), Math.max(0, view.t0 - span)),
    nsPerPx: view.nsPerPx,
  };
}

export class SliceFetcher {
  lanes: SliceLanes | null = null;
  private have: (SliceWindow & { version: number }) | null = null;
  private inFlight = false;
  /** After a failure, wait for new data (a new version) instead of retrying every frame. */
  private failedVersion: number | null = null;
  private wanted: { w: SliceWindow; version: number; end: number; cpus: number } | null = null;

  constructor(
    private readonly fetch: FetchSlices,
    private readonly onData: () => void,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  reset(): void {
    this.lanes = null;
    this.have = null;
    this.failedVersion = null;
  }

  /** Ask for `view` at data version `version` (bumped when a live run advanced). */
  want(view: SliceWindow, version: number, end: number, cpus: number): void {
    if (this.failedVersion === version) return;
    if (this.have && this.have.version === version && covers(this.have, view)) return;
    this.wanted = { w: view, version, end, cpus };
    if (!this.inFlight) void this.pump();
  }

  private async pump(): Promise<void> {
    while (this.wanted) {
      const { w, version, end, cpus } = this.wanted;
      this.wanted = null;
      const req = requestWindow(w, end);
      this.inFlight = true;
      try {
        const slices = await this.fetch(req);
        this.lanes = buildLanes(slices, cpus);
        this.have = { ...req, t1: Math.min(req.t1, slices.t1), version };
        this.onData();
      } catch (e) {
        this.failedVersion = version;
        this.wanted = null;
        this.onError(e);
      } finally {
        this.inFlight = false;
      }
    }
  }
}

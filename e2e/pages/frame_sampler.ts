// Records the browser's animation-frame timestamps during an interaction, so
// long frames (a busy main thread) show up whether or not the timeline redrew.
import type { Page } from '@playwright/test';

export async function startFrameSampler(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __sampling: boolean };
    w.__frames = [];
    w.__sampling = true;
    const tick = (t: number) => {
      w.__frames.push(t);
      if (w.__sampling) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Stops sampling and returns the intervals between consecutive frames, in ms. */
export async function stopFrameSampler(page: Page): Promise<number[]> {
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __sampling: boolean };
    w.__sampling = false;
    return w.__frames;
  });
  return frames.slice(1).map((t, i) => t - frames[i]!);
}

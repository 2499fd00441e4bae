// One stable colour per task, like Perfetto's per-thread colours: the hue
// comes from a hash of the pid so neighbouring pids look different, and the
// same pid keeps its colour across runs and zoom levels.

/** Integer hash (Knuth multiplicative + xorshift) spreading consecutive pids apart. */
function mix(pid: number): number {
  let h = Math.imul(pid ^ 0x5bd1e995, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export function taskHue(pid: number): number {
  return mix(pid) % 360;
}

/** CSS colour for a task's slices; lightness depends on the theme. */
export function taskColor(pid: number, dark: boolean): string {
  if (pid <= 0) return dark ? '#3a3f47' : '#d5d8dc';
  const h = taskHue(pid);
  const s = 55 + (mix(pid + 7919) % 25);
  const l = dark ? 52 + (mix(pid + 104729) % 12) : 44 + (mix(pid + 104729) % 14);
  return `hsl(${h} ${s}% ${l}%)`;
}

/** Colour cache for the draw loop: building strings per slice would allocate per frame. */
export class TaskPalette {
  private cache = new Map<number, string>();
  constructor(private dark: boolean) {}
  setDark(dark: boolean): void {
    if (dark !== this.dark) {
      this.dark = dark;
      this.cache.clear();
    }
  }
  color(pid: number): string {
    let c = this.cache.get(pid);
    if (c === undefined) {
      c = taskColor(pid, this.dark);
      this.cache.set(pid, c);
    }
    return c;
  }
}

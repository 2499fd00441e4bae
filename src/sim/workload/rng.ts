// Seeded randomness: every task draws from its own stream (seed, pid) so a
// task's behaviour does not depend on how the scheduler interleaves others.

/** mulberry32: small, fast, and good enough for workload timing. */
export class Rng {
  private s: number;

  constructor(seed: number, stream = 0) {
    this.s = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
    for (let i = 0; i < 4; i++) this.u32();
  }

  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }
}

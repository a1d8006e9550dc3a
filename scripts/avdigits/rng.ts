/**
 * Seeded randomness for the dataset build. Kept inside scripts/ (not src/core) on purpose: the
 * generator must reproduce the committed files byte for byte, so it may not change when the
 * library's own RNG does.
 */

/** A uniform generator on [0, 1). */
export type Rng = () => number;

/** mulberry32: 32-bit state, fast, good enough for sampling (not for cryptography). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Uniform real in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick: empty list');
  return items[randInt(rng, items.length)]!;
}

/** Fisher-Yates shuffle, in place; returns the same array for chaining. */
export function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

/** Standard normal sample (Box-Muller; one value per call keeps the stream easy to reason about). */
export function gaussian(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]: log(0) must not happen
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

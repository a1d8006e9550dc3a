/**
 * Seeded pseudo-random numbers for everything that must be reproducible (splits, shuffles,
 * initialisation). Generator: mulberry32 (32-bit state, period 2^32), ample for shuffling and
 * sampling datasets of the sizes gblend handles, and tiny enough to own outright.
 */
import { CoreError } from './errors.js';

export interface Rng {
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform integer in 0..n-1 (n a positive integer up to 2^32). */
  int(n: number): number;
  /** Standard normal (mean 0, variance 1), Box-Muller. */
  normal(): number;
  /** Fisher-Yates shuffle in place; returns `a`. */
  shuffle<T>(a: T[]): T[];
  /**
   * An independent deterministic child stream. It depends only on this stream's seed path and
   * `label`, not on how many numbers were drawn here, so adding a draw in one place never shifts
   * the numbers another component gets. Forking the same label twice gives the same stream.
   */
  fork(label: string): Rng;
  /** Where the stream stands, as plain data (for checkpoints). */
  save(): RngState;
  /** Continues from a state that `save` returned on this same stream (same seed path). */
  restore(state: RngState): void;
}

/** A stream's position: its seed path (to check a state goes back to its own stream), counter and spare normal. */
export interface RngState {
  key: number;
  state: number;
  spare: number | null;
}

const TWO_POW_32 = 4294967296;
const GOLDEN = 0x9e3779b9;

/** MurmurHash3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of a label. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

class Mulberry32 implements Rng {
  private state: number;
  private spare: number | null = null;

  /** `key` names the stream (seed path); the state starts there and then advances. */
  constructor(private readonly key: number) {
    this.state = key;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO_POW_32;
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new CoreError('bad_argument', `rng.int(n) needs an integer n in 1..2^32, got ${n}`);
    }
    return Math.floor(this.next() * n);
  }

  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    // 1 - next() lies in (0, 1], so the log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const theta = 2 * Math.PI * this.next();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i]!;
      a[i] = a[j]!;
      a[j] = tmp;
    }
    return a;
  }

  fork(label: string): Rng {
    return new Mulberry32(fmix32(this.key ^ fmix32((hashLabel(label) + GOLDEN) >>> 0)));
  }

  save(): RngState {
    return { key: this.key, state: this.state, spare: this.spare };
  }

  restore(s: RngState): void {
    // A state from another stream would resume silently wrong numbers.
    if (s.key !== this.key || !Number.isInteger(s.state) || (s.spare !== null && typeof s.spare !== 'number')) {
      throw new CoreError('bad_argument', 'rng.restore: the state belongs to another stream');
    }
    this.state = s.state;
    this.spare = s.spare;
  }
}

/** Same seed, same stream. `seed` is any integer; both 32-bit halves of it matter. */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new CoreError('bad_seed', `seed must be a safe integer, got ${seed}`);
  }
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  return new Mulberry32(fmix32(fmix32((lo ^ GOLDEN) >>> 0) ^ hi));
}

/**
 * What a fuzz case is (one kernel call with its inputs and attributes) and the seeded
 * random pieces generators build cases from. A case is a pure function of (seed, index),
 * so a failure is reproduced from its description alone.
 */
export type FuzzDType = 'float32' | 'int32' | 'bool';

export interface FuzzInput {
  shape: number[];
  dtype: FuzzDType;
  values: number[];
}

export interface FuzzCase {
  kernel: string;
  /** Named inputs, or a list for AddN, Concat and Pack. */
  inputs: Record<string, FuzzInput> | FuzzInput[];
  attrs: Record<string, unknown>;
  /** Inputs no tfjs op would pass: native must refuse them (cpu kernels may not check). */
  invalid: boolean;
  /**
   * Inputs whose result tfjs leaves undefined (its cpu kernel reads past its own buffer, as
   * in a max over an empty axis): native may throw or return anything, but not crash or leak.
   */
  cpuUndefined?: boolean;
  /** Relative tolerance on values (default 1e-4). */
  tol?: number;
}

/** mulberry32: a small seeded generator (quality is ample for picking test inputs). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

export function size(shape: readonly number[]): number {
  return shape.reduce((p, q) => p * q, 1);
}

/** A dimension: mostly 1-4, sometimes 0 (an empty tensor). */
export function dim(r: Rng, max = 4): number {
  return r.chance(0.08) ? 0 : r.between(1, max);
}

export function shapeOf(r: Rng, minRank = 0, maxRank = 4, maxDim = 4): number[] {
  return Array.from({ length: r.between(minRank, maxRank) }, () => dim(r, maxDim));
}

/**
 * Values exactly representable in float32 (quarters in [-4, 4]) so that cpu and native
 * agree on rounding-sensitive kernels (floor, mod); now and then a large one.
 */
export function tensor(r: Rng, shape: number[], dtype: FuzzDType = 'float32', positive = false): FuzzInput {
  const values = Array.from({ length: size(shape) }, () => {
    if (dtype === 'bool') return r.int(2);
    if (dtype === 'int32') return positive ? r.between(1, 6) : r.between(-6, 6);
    const v = r.chance(0.03) ? r.pick([1e3, -1e3, 0]) : (r.int(33) - 16) / 4;
    return positive ? Math.abs(v) + 0.25 : v;
  });
  return { shape, dtype, values };
}

/** A shape that broadcasts with `shape` (numpy rules): drop leading axes, set some to 1. */
export function broadcastable(r: Rng, shape: number[]): number[] {
  const keep = shape.slice(r.int(shape.length + 1));
  return keep.map((d) => (r.chance(0.3) ? 1 : d));
}

/** A shape that does not broadcast with `shape`, or null where every shape would. */
export function clashing(r: Rng, shape: number[]): number[] | null {
  const axes = shape.map((d, i) => (d > 1 ? i : -1)).filter((i) => i >= 0);
  if (axes.length === 0) return null;
  const out = shape.slice();
  const at = r.pick(axes);
  out[at] = out[at]! + 1;
  return out;
}

export function describe(c: FuzzCase): string {
  const input = (i: FuzzInput): string => `${i.dtype}${JSON.stringify(i.shape)}${i.values.length <= 24 ? ` ${JSON.stringify(i.values)}` : ''}`;
  const inputs = Array.isArray(c.inputs) ? c.inputs.map(input).join(', ') : Object.entries(c.inputs).map(([k, v]) => `${k}: ${input(v)}`).join(', ');
  return `${c.kernel}${c.invalid ? ' (invalid)' : ''} inputs {${inputs}} attrs ${JSON.stringify(c.attrs)}`;
}

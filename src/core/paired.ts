/**
 * Two methods compared on the same seeds: the per-seed differences, their mean and sample standard
 * deviation, and a two-sided paired t-test (Student's t with n - 1 degrees of freedom). Pure.
 *   d_s = a_s - b_s,   t = mean(d) / (std(d) / sqrt(n)),   p = P(|T_{n-1}| >= |t|) = I_{v/(v+t^2)}(v/2, 1/2).
 */
import { CoreError } from './errors.js';
import { meanStd } from './stats.js';

export interface PairedComparison {
  /** Seeds in both. */
  n: number;
  meanDiff: number;
  /** Sample standard deviation of the differences (0 for one seed). */
  stdDiff: number;
  /** null with fewer than 2 seeds. */
  t: number | null;
  p: number | null;
  /** Seeds where a is above b, and below. */
  wins: number;
  losses: number;
}

export function pairedComparison(a: number[], b: number[]): PairedComparison {
  if (a.length !== b.length) throw new CoreError('bad_input', `paired values need the same seeds: ${a.length} against ${b.length}`);
  const n = a.length;
  if (n === 0) throw new CoreError('empty_input', 'cannot compare zero seeds');
  const d = a.map((x, i) => x - b[i]!);
  const { mean: meanDiff, std: stdDiff } = meanStd(d);
  const wins = d.filter((v) => v > 0).length;
  const losses = d.filter((v) => v < 0).length;
  if (n < 2) return { n, meanDiff, stdDiff, t: null, p: null, wins, losses };
  // Every seed moved by the same amount: no spread to test against.
  if (stdDiff === 0) return { n, meanDiff, stdDiff, t: meanDiff === 0 ? 0 : Math.sign(meanDiff) * Infinity, p: meanDiff === 0 ? 1 : 0, wins, losses };
  const t = meanDiff / (stdDiff / Math.sqrt(n));
  return { n, meanDiff, stdDiff, t, p: studentTwoSided(t, n - 1), wins, losses };
}

/** P(|T| >= |t|) for Student's t with v degrees of freedom. */
export function studentTwoSided(t: number, v: number): number {
  if (!Number.isFinite(t)) return 0;
  return regularizedBeta(v / (v + t * t), v / 2, 0.5);
}

/** ln Gamma(x) for x > 0 (Lanczos, g = 7, 9 terms: about 15 significant digits). */
function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const w = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(w) - w + Math.log(sum);
}

/** I_x(a, b), the regularized incomplete beta function, by its continued fraction (modified Lentz). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); otherwise use the symmetry.
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x)) / a;
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = Math.floor(i / 2);
    // The fraction's terms: 1, then d_{2m+1} = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1)), d_{2m} = m(b-m)x / ((a+2m-1)(a+2m)).
    const num = i === 0 ? 1 : i % 2 === 0 ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)) : -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    d = 1 / d;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    const step = c * d;
    f *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return front * (f - 1);
}

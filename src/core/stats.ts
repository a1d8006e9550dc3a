/** Summaries of per-example values (losses, 0/1 errors) and of per-seed results. */
import { CoreError } from './errors.js';

/** `variance` is the population variance of the values: sum((x - mean)^2) / count. */
export interface Summary {
  mean: number;
  variance: number;
  count: number;
}

/** Mean and sum of squared deviations, in two passes so the deviations do not lose precision. */
function meanAndSquares(values: ArrayLike<number>, what: string): { mean: number; ss: number } {
  const n = values.length;
  if (n === 0) throw new CoreError('empty_input', `cannot ${what} of zero values`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    ss += d * d;
  }
  return { mean, ss };
}

export function summarize(values: ArrayLike<number>): Summary {
  const { mean, ss } = meanAndSquares(values, 'summarize');
  return { mean, variance: ss / values.length, count: values.length };
}

/** Mean and sample standard deviation (n - 1), as reported across seeds; std is 0 for one value. */
export function meanStd(values: number[]): { mean: number; std: number } {
  const { mean, ss } = meanAndSquares(values, 'take mean and std');
  const n = values.length;
  return { mean, std: n === 1 ? 0 : Math.sqrt(ss / (n - 1)) };
}

/**
 * Warm-up, then timed repeats, median. One timing policy for every workload (the PyTorch
 * reference in torch_reference.py follows the same one).
 */

export interface TimingOptions {
  /** Untimed iterations first (kernel set-up, heap growth, caches). */
  warmup: number;
  /** Timed repeats; the reported value is their median. */
  repeats: number;
  /** Each repeat runs enough iterations to last about this long (at least `minIters`). */
  seconds: number;
  minIters: number;
}

export interface Measurement {
  /** Median over repeats of (iterations / seconds), or of the per-repeat value for epoch workloads. */
  value: number;
  unit: string;
  /** One value per repeat, in run order. */
  samples: number[];
  /** Iterations per repeat. */
  iters: number;
  /** A workload made of several parts (small_run: one run per method): the median of each, in `unit`. */
  parts?: Record<string, number>;
}

export function median(xs: readonly number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/**
 * Times `run(n)`, which must do n iterations and return only once their results exist (read
 * one value back). Returns iterations per second times `scale` (e.g. FLOPs per iteration / 1e9).
 */
export async function timeRate(run: (n: number) => Promise<void> | void, opts: TimingOptions, unit: string, scale = 1): Promise<Measurement> {
  const w = Math.max(1, opts.warmup);
  await run(w);
  // Calibrate on warm iterations: the first ones pay one-off set-up costs.
  const calib = Math.max(1, Math.ceil(w / 2));
  let t0 = performance.now();
  await run(calib);
  const perIter = Math.max(1e-6, (performance.now() - t0) / 1000 / calib);
  const iters = Math.max(opts.minIters, Math.ceil(opts.seconds / perIter));
  const samples: number[] = [];
  for (let r = 0; r < opts.repeats; r++) {
    t0 = performance.now();
    await run(iters);
    samples.push((iters / ((performance.now() - t0) / 1000)) * scale);
  }
  return { value: median(samples), unit, samples, iters };
}

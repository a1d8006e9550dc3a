/**
 * InfoReg's pure parts (Huang, Wei, Yang, Hu, "Adaptive Unimodal Regulation for Balanced Multimodal
 * Information Acquisition", CVPR 2025).
 *
 * The prime learning window: training is in it while the model's information amount (a Fisher trace,
 * summed per epoch) still grows fast. With I_0..I_{e-1} the amounts of the epochs done and W the
 * window, S = I_{e-W} + ... + I_{e-1} and S' = I_{e-W-1} + ... + I_{e-2} (missing terms are 0):
 *   growth = (S - S') / S,   in the window while growth > threshold (and always in epoch 0).
 * These are the authors' moving averages of 10 epochs (the 1/W cancels).
 *
 * Regulation per step: with s_m the batch's summed softmax confidence on the true class of modality
 * m's own head, each modality ahead of the weakest gets
 *   beta_m = beta * exp(tanh(s_m - s_min)),   the weakest (and any tied with it) 0,
 * and its encoder's gradient gains beta_m (theta - theta_anchor), pulling it back towards where the
 * epoch started.
 */

/** The relative growth of the information amount over the last `window` epochs; 1 before any epoch. */
export function informationGrowth(history: readonly number[], window: number): number {
  const e = history.length;
  if (e === 0) return 1;
  const sum = (from: number, to: number): number => history.slice(Math.max(0, from), Math.max(0, to)).reduce((s, v) => s + v, 0);
  const recent = sum(e - window, e);
  const earlier = sum(e - window - 1, e - 1);
  // No information at all (every gradient zero): nothing is being acquired, so the window is shut.
  return recent > 0 ? (recent - earlier) / recent : 0;
}

export function inPrimeWindow(history: readonly number[], window: number, threshold: number): boolean {
  return informationGrowth(history, window) > threshold;
}

/** beta_m per modality from the step's confidence scores. */
export function regulationStrengths(scores: Record<string, number>, beta: number): Record<string, number> {
  const weakest = Math.min(...Object.values(scores));
  return Object.fromEntries(Object.entries(scores).map(([m, s]) => [m, s > weakest ? beta * Math.exp(Math.tanh(s - weakest)) : 0]));
}

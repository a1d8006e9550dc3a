/**
 * AGM's gradient scales (Li, Li, Hu, Lei, Li, Zhou, "Boosting Multi-modal Model Performance with
 * Adaptive Gradient Modulation", ICCV 2023), pure, as in the authors' code. Each modality's score is
 * the batch's mean cross-entropy of its own output (its Shapley share of the fused output); the
 * ratio of a modality compares its score with the mean score, exp(2 (mean - s_u)), now and on the
 * running average of all steps so far; a modality whose ratio is above its running ratio (it is
 * learning faster than usual) gets a scale below 1: exp(alpha (running ratio - ratio)).
 */

export interface AgmStep {
  ratio: Record<string, number>;
  runningRatio: Record<string, number>;
  coefficient: Record<string, number>;
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const ratios = (scores: Record<string, number>): Record<string, number> => {
  const m = mean(Object.values(scores));
  return Object.fromEntries(Object.entries(scores).map(([u, s]) => [u, Math.exp(2 * (m - s))]));
};

export function agmCoefficients(scores: Record<string, number>, running: Record<string, number>, alpha: number): AgmStep {
  const ratio = ratios(scores);
  const runningRatio = ratios(running);
  const coefficient = Object.fromEntries(Object.keys(scores).map((u) => [u, Math.exp(alpha * (runningRatio[u]! - ratio[u]!))]));
  return { ratio, runningRatio, coefficient };
}

/** The running mean of the scores after step `index` (0-based): the mean of every step's scores so far. */
export function updateRunning(running: Record<string, number>, scores: Record<string, number>, index: number): Record<string, number> {
  return Object.fromEntries(Object.entries(scores).map(([u, s]) => [u, ((running[u] ?? 0) * index + s) / (index + 1)]));
}

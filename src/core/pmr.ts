/**
 * PMR's choice of which prototype losses to add (Fan et al., CVPR 2023), pure. From each modality's
 * prototype confidence on a batch (sum over its examples of the prototype softmax of the true class),
 * a modality behind the others (its score over the mean of the others' below 1) gets the prototype
 * loss with weight alpha, to speed it up; the others get 0. With two modalities this is the authors'
 * rule (beta = alpha for the weaker one, 0 for the stronger, 0 for both when equal).
 */
import { ratiosToOthers } from './discrepancy.js';

export function pmrCoefficients(scores: Record<string, number>, alpha: number): { ratio: Record<string, number>; coefficient: Record<string, number> } {
  const ratio = ratiosToOthers(scores);
  return { ratio, coefficient: Object.fromEntries(Object.entries(ratio).map(([u, r]) => [u, r < 1 ? alpha : 0])) };
}

/** Class prototypes with momentum: (1 - m) * fresh + m * previous (the first time, fresh alone). */
export function blendPrototypes(fresh: number[], previous: number[] | null, momentum: number): number[] {
  return previous === null ? fresh.slice() : fresh.map((v, i) => (1 - momentum) * v + momentum * previous[i]!);
}

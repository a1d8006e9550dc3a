/**
 * OGM-GE's modulation coefficients (Peng et al., CVPR 2022, Eq. 10), pure. From each modality's
 * confidence score on a batch (the sum over its examples of the softmax probability of the true
 * class, computed from that modality's contribution to the fused output), the discrepancy ratio of a
 * modality is its score over the mean score of the others (with two modalities, the paper's
 * s_u / s_other; the mean is our generalisation to more). A modality ahead of the others (ratio > 1)
 * has its encoder's gradient scaled by 1 - tanh(alpha * ratio); the others keep 1.
 */
import { ratiosToOthers } from './discrepancy.js';

export interface OgmStep {
  ratio: Record<string, number>;
  coefficient: Record<string, number>;
}

export function ogmCoefficients(scores: Record<string, number>, alpha: number): OgmStep {
  const ratio = ratiosToOthers(scores);
  const coefficient = Object.fromEntries(Object.entries(ratio).map(([u, r]) => [u, r > 1 ? 1 - Math.tanh(alpha * r) : 1]));
  return { ratio, coefficient };
}

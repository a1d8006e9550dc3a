/**
 * OGM-GE's modulation coefficients (Peng et al., CVPR 2022, Eq. 10), pure. From each modality's
 * confidence score on a batch (the sum over its examples of the softmax probability of the true
 * class, computed from that modality's contribution to the fused output), the discrepancy ratio of a
 * modality is its score over the mean score of the others (with two modalities, the paper's
 * s_u / s_other; the mean is our generalisation to more). A modality ahead of the others (ratio > 1)
 * has its encoder's gradient scaled by 1 - tanh(alpha * ratio); the others keep 1.
 */

export interface OgmStep {
  ratio: Record<string, number>;
  coefficient: Record<string, number>;
}

export function ogmCoefficients(scores: Record<string, number>, alpha: number): OgmStep {
  const names = Object.keys(scores);
  const ratio: Record<string, number> = {};
  const coefficient: Record<string, number> = {};
  for (const u of names) {
    const others = names.filter((v) => v !== u);
    const mean = others.reduce((s, v) => s + scores[v]!, 0) / others.length;
    // No other modality has any confidence: u is ahead by as much as can be (and 0/0 is no signal).
    const r = mean > 0 ? scores[u]! / mean : scores[u]! > 0 ? Infinity : 1;
    ratio[u] = r;
    coefficient[u] = r > 1 ? 1 - Math.tanh(alpha * r) : 1;
  }
  return { ratio, coefficient };
}

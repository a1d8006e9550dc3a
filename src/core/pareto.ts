/**
 * MMPareto's weights for one encoder (Wei and Hu, ICML 2024), pure. The encoder receives two
 * gradients: g_m from the multi-modal (fused) loss and g_u from its own uni-modal loss. When they
 * agree (cosine > 0) both get 1/2; when they conflict, the min-norm point of the segment between
 * them (the two-objective Pareto-stationary direction), which has a closed form:
 *   alpha_m = clip(((g_u - g_m) . g_u) / |g_m - g_u|^2, 0, 1),   alpha_u = 1 - alpha_m.
 * Inputs are the three inner products, so callers sum them over the encoder's tensors.
 */

export interface GradientProducts {
  /** g_m . g_m */
  mm: number;
  /** g_u . g_u */
  uu: number;
  /** g_m . g_u */
  mu: number;
}

export interface ParetoWeights {
  cosine: number;
  conflict: boolean;
  alphaM: number;
  alphaU: number;
}

export function paretoWeights({ mm, uu, mu }: GradientProducts): ParetoWeights {
  const denom = Math.sqrt(mm) * Math.sqrt(uu);
  const cosine = denom > 0 ? mu / denom : 0;
  // A zero gradient conflicts with nothing: the authors' rule (cosine > 0, else min-norm) would
  // solve for it; with one gradient zero the min-norm point is that zero, so keep equal weights.
  if (cosine > 0 || denom === 0) return { cosine, conflict: false, alphaM: 0.5, alphaU: 0.5 };
  const gap = mm + uu - 2 * mu; // |g_m - g_u|^2 > 0 here, since the two are not parallel
  const alphaM = Math.min(1, Math.max(0, (uu - mu) / gap));
  return { cosine, conflict: true, alphaM, alphaU: 1 - alphaM };
}

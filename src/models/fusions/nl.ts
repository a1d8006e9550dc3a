/**
 * Non-local gating across modalities (the paper's Table 5 "NL gate"; the non-local block of Wang,
 * Girshick, Gupta, He, CVPR 2018, embedded-Gaussian form) with each modality's features as one token:
 *   x_m = W_m φ_m + b_m  (width d),   X = [x_1; ...; x_k]  (k x d),
 *   A = softmax_rows( θ(X) φ(X)^T ),   Y = A g(X),   X' = X + W_o Y + b_o,
 * with θ, φ, g dense maps to d/2 per token; the fused head reads X' flattened ([x'_1, ..., x'_k]).
 * Each modality's token is updated by attention over all modalities' tokens.
 *
 * [choice] d is the widest modality's feature width (the tokens need one width; 128 by default, as
 * every encoder's); no 1/sqrt scale on the scores, as in the non-local block.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { safeName } from '../encoders.js';
import { applyLayer, merge, seededDense, type Flow, type Fusion, type FusionContext } from './fusion.js';

export function nlFusion(ctx: FusionContext): Fusion {
  const d = Math.max(...ctx.featureDims);
  const inner = Math.max(1, Math.floor(d / 2));
  const k = ctx.modalities.length;
  const tokens = ctx.modalities.map((m) => seededDense(`fusion_nl_token_${safeName(m)}`, d, ctx.seedFor));
  // [n, d] -> [n, 1, d] by Reshape: the native backend has no ExpandDims.
  const rows = ctx.modalities.map((m) => tfl.layers.reshape({ targetShape: [1, d], name: `fusion_nl_row_${safeName(m)}` }));
  const stack = tfl.layers.concatenate({ axis: 1, name: 'fusion_nl_tokens' });
  const [theta, phi, g] = ['theta', 'phi', 'g'].map((n) => seededDense(`fusion_nl_${n}`, inner, ctx.seedFor));
  const scores = tfl.layers.dot({ axes: [2, 2], name: 'fusion_nl_scores' });
  const softmax = tfl.layers.softmax({ axis: -1, name: 'fusion_nl_softmax' });
  const attend = tfl.layers.dot({ axes: [2, 1], name: 'fusion_nl_attend' });
  const out = seededDense('fusion_nl_out', d, ctx.seedFor);
  const residual = tfl.layers.add({ name: 'fusion_nl_residual' });
  const flatten = tfl.layers.reshape({ targetShape: [k * d], name: 'fusion_nl_flatten' });
  return {
    name: 'nl',
    layers: [...tokens, ...rows, stack, theta!, phi!, g!, scores, softmax, attend, out, residual, flatten],
    trainable: true,
    headHidden: true,
    apply: <T extends Flow>(features: T[]): T => {
      const x = merge(stack, features.map((f, i) => applyLayer(rows[i]!, applyLayer(tokens[i]!, f))));
      const a = applyLayer(softmax, applyLayer(scores, [applyLayer(theta!, x), applyLayer(phi!, x)]));
      const y = applyLayer(out, applyLayer(attend, [a, applyLayer(g!, x)]));
      return applyLayer(flatten, applyLayer(residual, [x, y]));
    },
  };
}

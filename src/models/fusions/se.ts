/**
 * Squeeze-and-excitation gating across modalities (the paper's Table 5 "SE gate"; SE blocks: Hu et
 * al., CVPR 2018, here over modalities as in MMTM, Joze et al., CVPR 2020):
 *   s = ReLU(W_s [φ_1, ..., φ_k] + b_s),   g_m = sigmoid(W_m s + b_m),   z = [g_1 ⊙ φ_1, ..., g_k ⊙ φ_k],
 * then the fused head as in late fusion. Every gate sees every modality.
 *
 * [choice] The squeeze width is the summed feature width over 4 (MMTM's reduction ratio), at least 1.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { safeName } from '../encoders.js';
import { applyLayer, merge, seededDense, type Flow, type Fusion, type FusionContext } from './fusion.js';

export const SE_REDUCTION = 4;

export function seFusion(ctx: FusionContext): Fusion {
  const total = ctx.featureDims.reduce((a, b) => a + b, 0);
  const all = tfl.layers.concatenate({ name: 'fusion_se_concat' });
  const squeeze = seededDense('fusion_se_squeeze', Math.max(1, Math.round(total / SE_REDUCTION)), ctx.seedFor, { activation: 'relu' });
  const gates = ctx.modalities.map((m, i) => seededDense(`fusion_se_gate_${safeName(m)}`, ctx.featureDims[i]!, ctx.seedFor, { activation: 'sigmoid' }));
  const scales = ctx.modalities.map((m) => tfl.layers.multiply({ name: `fusion_se_scale_${safeName(m)}` }));
  const concat = tfl.layers.concatenate({ name: 'fuse_concat' });
  return {
    name: 'se',
    layers: [all, squeeze, ...gates, ...scales, concat],
    trainable: true,
    headHidden: true,
    apply: <T extends Flow>(features: T[]): T => {
      const s = applyLayer(squeeze, merge(all, features));
      const gated = features.map((f, i) => applyLayer(scales[i]!, [f, applyLayer(gates[i]!, s)]));
      return merge(concat, gated);
    },
  };
}

/**
 * Mid-level concatenation (the paper's Table 5 "mid concat"): every encoder stops after its first
 * stage, the stages' outputs are concatenated, and shared dense layers continue from there; the
 * fused head reads the shared trunk. Uni-modal heads read their modality's first-stage output.
 *
 * [choice] First stage: an MLP encoder's first dense layer (mlpHidden[0]); a conv encoder's first
 * conv block (conv + pool), flattened (encoders.ts, firstStageOnly). Trunk: dense + ReLU layers of
 * widths mlpHidden[1:] when every encoder is an MLP, else [convFeatures] (a conv encoder's remaining
 * dense layer; later conv blocks are not shared, as the modalities' maps may differ in size); one
 * layer of width mlpHidden[0] when mlpHidden has a single width. The encoders' dropout follows every
 * trunk layer, as it follows every encoder layer.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { applyLayer, merge, seededDense, type Flow, type Fusion, type FusionContext, type FusionTaps } from './fusion.js';

export function trunkWidths(ctx: Pick<FusionContext, 'kinds' | 'config'>): number[] {
  const rest = ctx.kinds.every((k) => k === 'mlp') ? ctx.config.mlpHidden.slice(1) : [ctx.config.convFeatures];
  return rest.length > 0 ? rest : [ctx.config.mlpHidden[0]!];
}

export function midFusion(ctx: FusionContext): Fusion {
  const concat = tfl.layers.concatenate({ name: 'fuse_concat' });
  const trunk = trunkWidths(ctx).map((units, i) => seededDense(`fusion_mid_dense${i + 1}`, units, ctx.seedFor, { activation: 'relu' }));
  return {
    name: 'mid',
    layers: [concat, ...trunk],
    trainable: true,
    headHidden: true,
    apply: <T extends Flow>(features: T[], taps: FusionTaps<T>): T =>
      trunk.reduce((x, layer) => taps.afterTrunkLayer(applyLayer(layer, x)), merge(concat, features)),
  };
}

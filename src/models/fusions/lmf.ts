/**
 * Low-rank multimodal fusion (Liu, Shen, Lakshminarasimhan, Liang, Zadeh, Morency, "Efficient
 * Low-rank Multimodal Fusion with Modality-Specific Factors", ACL 2018), as the fused head's hidden
 * layer: with r rank-1 factors W_m^(i) per modality and h = fusedHidden,
 *   z = ReLU( Σ_{i=1..r} Π_m W_m^(i) [φ_m; 1] ),
 * then the classes layer. W_m^(i) [φ_m; 1] is one dense layer per modality (its bias is the column
 * for the appended 1) with r·h units; the product over modalities is a Multiply layer; the sum over
 * the rank is a mean over the rank axis times r (Reshape, global average pooling, Rescaling).
 *
 * [choice] The paper's per-rank weights and output bias are left out: the weights are absorbed by the
 * factors, and the appended 1s already give the product constant terms. ReLU as the late head's hidden
 * layer has. Rank `model.lmfRank`, default 4: a low rank, as the paper reports
 * its results robust over a wide range of low ranks.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { safeName } from '../encoders.js';
import { applyLayer, merge, seededDense, type Flow, type Fusion, type FusionContext } from './fusion.js';

export function lmfFusion(ctx: FusionContext): Fusion {
  const rank = ctx.config.lmfRank;
  const hidden = ctx.config.fusedHidden;
  const factors = ctx.modalities.map((m) => seededDense(`fusion_lmf_factor_${safeName(m)}`, rank * hidden, ctx.seedFor));
  const product = tfl.layers.multiply({ name: 'fusion_lmf_product' });
  const byRank = tfl.layers.reshape({ targetShape: [rank, hidden], name: 'fusion_lmf_rank' });
  const meanOverRank = tfl.layers.globalAveragePooling1d({ name: 'fusion_lmf_mean' });
  const timesRank = tfl.layers.rescaling({ scale: rank, name: 'fusion_lmf_sum' });
  const relu = tfl.layers.activation({ activation: 'relu', name: 'fusion_lmf_relu' });
  return {
    name: 'lmf',
    layers: [...factors, product, byRank, meanOverRank, timesRank, relu],
    trainable: true,
    headHidden: false,
    apply: <T extends Flow>(features: T[]): T => {
      const z = merge(product, features.map((f, i) => applyLayer(factors[i]!, f)));
      return [byRank, meanOverRank, timesRank, relu].reduce((x, layer) => applyLayer(layer, x), z);
    },
  };
}

/**
 * The saved model's first layer per input: the training normalisation, (x - mean) / std, written as a
 * standard Rescaling layer (y = x * scale + offset, scale = 1/std, offset = -mean/std), so that plain
 * `tf.loadLayersModel` (or Keras) on model.json gives the right probabilities from raw inputs without
 * reading gblend.json. Rescaling broadcasts scale and offset, so a per-feature normaliser is a list
 * along the last axis and a scalar one stays a number. It needs only Mul and Add, which every backend
 * (WebGL, WASM, cpu, native) has.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { Normalizer } from '../core/normalize.js';
import { ModelError, safeName } from './encoders.js';

/** Applies a new normalisation layer for `modality` to the symbolic input `input` of per-example `shape`. */
export function applyNormalization(input: tfl.SymbolicTensor, modality: string, shape: number[], norm: Normalizer): tfl.SymbolicTensor {
  const perFeature = norm.mean.length > 1;
  // gblend fits per-feature normalisers for vectors only, where the features are the last axis.
  if (perFeature && (shape.length !== 1 || norm.mean.length !== shape[0])) {
    throw new ModelError('bad_normalization', `modality '${modality}': a per-feature normalisation of ${norm.mean.length} values does not fit per-example shape [${shape.join(', ')}]`);
  }
  const scale = norm.std.map((s) => 1 / s);
  const offset = norm.mean.map((m, k) => -m / norm.std[k]!);
  // RescalingArgs is typed with numbers; tfjs and Keras both broadcast lists.
  const layer = tfl.layers.rescaling({
    name: `norm_${safeName(modality)}`,
    scale: (perFeature ? scale : scale[0]!) as number,
    offset: (perFeature ? offset : offset[0]!) as number,
  });
  return layer.apply(input) as tfl.SymbolicTensor;
}

/**
 * Classifier heads: one dense layer per uni-modal head; the fused head is two dense layers
 * (ReLU, then the prediction layer) on the fusion's output (for late fusion, the concatenated features).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { safeName } from './encoders.js';

/** The fused head's name in logs, weights and saved models. */
export const FUSED = 'fused';

export interface Head {
  name: string;
  /** Modalities whose features the head reads (all of them for the fused head). */
  modalities: string[];
  layers: tfl.layers.Layer[];
}

export function buildUniHead(modality: string, numClasses: number, seedFor: (layer: string) => number): Head {
  const name = `head_${safeName(modality)}`;
  return {
    name: modality,
    modalities: [modality],
    layers: [tfl.layers.dense({ units: numClasses, name, kernelInitializer: tfl.initializers.glorotUniform({ seed: seedFor(name) }) })],
  };
}

/**
 * Its layers are named `fusedhead_*`, a prefix no uni-modal head (`head_<modality>`) can take. It reads
 * the fusion's output (fusions/); `hidden` null leaves out the hidden layer, for a fusion that takes its place.
 */
export function buildFusedHead(modalities: string[], hidden: number | null, numClasses: number, seedFor: (layer: string) => number): Head {
  const out = tfl.layers.dense({ units: numClasses, name: 'fusedhead_out', kernelInitializer: tfl.initializers.glorotUniform({ seed: seedFor('fusedhead_out') }) });
  if (hidden === null) return { name: FUSED, modalities, layers: [out] };
  return {
    name: FUSED,
    modalities,
    layers: [tfl.layers.dense({ units: hidden, activation: 'relu', name: 'fusedhead_hidden', kernelInitializer: tfl.initializers.glorotUniform({ seed: seedFor('fusedhead_hidden') }) }), out],
  };
}

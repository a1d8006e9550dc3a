/**
 * The training-only insertions into the model's one forward definition (MultiHeadModel.flow):
 * dropout, Gradient-Blending's per-head gradient scales and the methods' feature taps. When the saved
 * graph is built they are all the identity, so the saved model holds only the layers.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelConfig } from '../config/schema.js';
import type { Encoder } from './encoders.js';
import type { Flow, FusionTaps } from './fusions/index.js';
import { scaleGradient } from './scale-gradient.js';

export interface ForwardOptions {
  training: boolean;
  /** Per head, the factor on the gradient that flows from that head into the encoders. */
  gradScale?: Record<string, number>;
  /** Source of dropout seeds, so runs are reproducible. */
  nextSeed?: () => number;
  /** Receives each modality's encoder output (for methods that act on a modality's contribution). */
  onFeatures?: (features: Map<string, tf.Tensor>) => void;
}

export interface Taps<T extends Flow> extends FusionTaps<T> {
  afterEncoderLayer(modality: string, index: number, x: T): T;
  /** Every modality's features, once computed. */
  features(features: Map<string, T>): void;
  /** A modality's features as head `head` reads them: where a head's gradient into the encoders is scaled. */
  headInput(head: string, x: T): T;
  /** The fused head's input, the fusion's output. */
  fusedInput(x: T): T;
}

const identity = <T>(x: T): T => x;
export const GRAPH_TAPS: Taps<tfl.SymbolicTensor> = { afterEncoderLayer: (_m, _i, x) => x, features: () => undefined, headInput: (_h, x) => x, fusedInput: identity, afterTrunkLayer: identity };
export const PLAIN_TAPS: Taps<tf.Tensor> = { afterEncoderLayer: (_m, _i, x) => x, features: () => undefined, headInput: (_h, x) => x, fusedInput: identity, afterTrunkLayer: identity };

/** The insertions of one forward pass; dropout only in training, each mask seeded from `opts.nextSeed`. */
export function trainingTaps(opts: ForwardOptions, encoders: Map<string, Encoder>, config: ModelConfig): Taps<tf.Tensor> {
  const drop = (x: tf.Tensor, rate: number): tf.Tensor => (opts.training && rate > 0 ? tf.dropout(x, rate, undefined, opts.nextSeed?.()) : x);
  return {
    afterEncoderLayer: (m, i, x) => (encoders.get(m)!.dropoutAfter.has(i) ? drop(x, config.dropout) : x),
    afterTrunkLayer: (x) => drop(x, config.dropout),
    features: (f) => opts.onFeatures?.(f),
    headInput: (head, x) => {
      const scale = opts.gradScale?.[head];
      return scale !== undefined && scale !== 1 ? scaleGradient(x, scale) : x;
    },
    fusedInput: (x) => drop(x, config.fusedDropout),
  };
}

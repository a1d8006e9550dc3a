/**
 * What a fusion is: the layers between the modalities' features and the fused head's classifier,
 * written once as a function over layers. tfjs-layers layers apply to symbolic tensors (the saved
 * graph) and to eager tensors (training, evaluation) alike, so the same `apply` builds the saved
 * model and runs every training step; training-only insertions (dropout) come in through `taps`,
 * which are the identity when the graph is built.
 */
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelConfig } from '../../config/schema.js';
import type { EncoderKind } from '../encoders.js';
import type { FusionName } from './names.js';

/** An eager tensor (training) or a symbolic one (the saved graph). */
export type Flow = tf.Tensor | tfl.SymbolicTensor;

/** Applies a layer to eager or symbolic inputs; the result is of the same kind. */
export function applyLayer<T extends Flow>(layer: tfl.layers.Layer, x: T | T[]): T {
  return layer.apply(x as tf.Tensor) as T;
}

/** A merge layer (concatenate, multiply) over `xs`; one input passes through, as merge layers need two. */
export function merge<T extends Flow>(layer: tfl.layers.Layer, xs: T[]): T {
  return xs.length === 1 ? xs[0]! : applyLayer(layer, xs);
}

/** Training-only insertions inside a fusion; the identity in the saved graph. */
export interface FusionTaps<T extends Flow> {
  /** After each layer of a shared trunk that continues the encoders (mid): the encoders' dropout. */
  afterTrunkLayer(x: T): T;
}

export interface Fusion {
  readonly name: FusionName;
  /** Its own layers (their variables belong to the owner `{ kind: 'fusion' }`). */
  readonly layers: tfl.layers.Layer[];
  /**
   * Whether it has trainable layers. The fused head's gradient into the encoders is scaled (G-Blend's
   * 'shared' mode) where the head's own layers start: on each modality's features before a fusion with
   * parameters, once on the output of one without (late: as before fusions were modules, bit for bit).
   */
  readonly trainable: boolean;
  /** Whether the fused head keeps its hidden layer before the classes (lmf's product takes its place). */
  readonly headHidden: boolean;
  /** The fused head's input from the modalities' features, given in the model's modality order. */
  apply<T extends Flow>(features: T[], taps: FusionTaps<T>): T;
}

export interface FusionContext {
  modalities: string[];
  /** Each modality's feature width, in `modalities` order. */
  featureDims: number[];
  kinds: EncoderKind[];
  config: ModelConfig;
  seedFor: (layer: string) => number;
}

/** A dense layer whose initial weights depend only on the run's seed and the layer's name. */
export function seededDense(name: string, units: number, seedFor: (layer: string) => number, args: { activation?: 'relu' | 'sigmoid' | 'linear'; useBias?: boolean } = {}): tfl.layers.Layer {
  return tfl.layers.dense({ units, name, kernelInitializer: tfl.initializers.glorotUniform({ seed: seedFor(name) }), ...args });
}

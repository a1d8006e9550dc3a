/**
 * The loss whose gradient one training step follows: the heads' losses blended by the method's
 * weights, in the paper's plain form ('all') or with weights on the shared encoders only ('shared').
 */
import * as tf from '@tensorflow/tfjs-core';
import { headGradientScale } from '../core/blend.js';
import type { MultiHeadModel } from '../models/multihead-model.js';
import { meanCrossEntropy } from './losses.js';

export type BlendMode = 'shared' | 'shared-full' | 'all';

export interface StepWeights {
  weights: Record<string, number>;
  mode: BlendMode;
}

/**
 * The loss whose gradient one step follows.
 * - 'all': sum_i w_i L_i (the paper's plain weighted loss; heads with w_i = 0 are skipped).
 * - 'shared' (method.md section 3): the encoders get sum_i w_i grad L_i, and head i's own layers get
 *   w_i grad L_i divided by max(w_i, 1e-3), i.e. their unweighted gradient unless w_i < 1e-3.
 *   Built as: loss term (w_i / s_i) L_i with s_i = max(w_i, 1e-3), and the gradient into the
 *   encoders from head i multiplied by s_i at the head's input.
 * - 'shared-full': as 'shared', but head i's own layers always get their unweighted gradient, at any
 *   w_i (loss term L_i, the encoders' gradient from it multiplied by w_i): a head whose weight
 *   falls to 0 keeps training its own layers on features the encoders keep changing, instead of
 *   freezing (method.md section 8: the fused head switched off).
 */
export interface BlendedLossExtras {
  /** Receives the logits per head and the features per modality of this forward pass. */
  onOutputs?: (logits: Map<string, tf.Tensor>, features: Map<string, tf.Tensor>) => void;
  /** Replaces the weighted sum: the loss from each head's loss (heads of non-zero weight only). */
  combine?: (losses: Map<string, tf.Scalar>, logits: Map<string, tf.Tensor>, features: Map<string, tf.Tensor>) => tf.Scalar;
  /** A term added to the loss, from this pass's logits and features (e.g. a prototype loss per encoder). */
  extraLoss?: (logits: Map<string, tf.Tensor>, features: Map<string, tf.Tensor>) => tf.Scalar | null;
}

/**
 * Per head, the coefficient of its loss term and the factor on its gradient into the encoders, for
 * the step's weights and mode (see above): the one place both the tfjs loss and the native step read.
 */
export function headTerms(heads: readonly string[], step: StepWeights): { coef: Record<string, number>; gradScale: Record<string, number> } {
  const shared = step.mode !== 'all';
  const coef: Record<string, number> = {};
  const gradScale: Record<string, number> = {};
  for (const head of heads) {
    const w = step.weights[head] ?? 0;
    const s = step.mode === 'shared-full' ? w : shared ? 1 / headGradientScale(w) : 1;
    gradScale[head] = s;
    coef[head] = step.mode === 'shared-full' ? 1 : w / s;
  }
  return { coef, gradScale };
}

export function blendedLoss(
  model: MultiHeadModel,
  inputs: Record<string, tf.Tensor>,
  oneHot: tf.Tensor,
  step: StepWeights,
  nextSeed?: () => number,
  extra: BlendedLossExtras = {},
): tf.Scalar {
  const { onOutputs, combine, extraLoss } = extra;
  const total = (loss: tf.Scalar): tf.Scalar => {
    const more = extraLoss?.(logits, features) ?? null;
    return more === null ? loss : (tf.add(loss, more) as tf.Scalar);
  };
  const shared = step.mode !== 'all';
  const { coef, gradScale } = headTerms(model.headNames, step);
  let features = new Map<string, tf.Tensor>();
  const onFeatures = onOutputs || extraLoss || combine ? (f: Map<string, tf.Tensor>) => void (features = f) : undefined;
  const logits = model.forward(inputs, { training: true, ...(shared ? { gradScale } : {}), ...(nextSeed ? { nextSeed } : {}), ...(onFeatures ? { onFeatures } : {}) });
  onOutputs?.(logits, features);
  if (combine) {
    // The method weighs the heads itself (e.g. learnable weights): it gets each weighted head's plain loss.
    const losses = new Map([...logits].filter(([head]) => coef[head] !== 0).map(([head, z]) => [head, meanCrossEntropy(z, oneHot)]));
    if (losses.size === 0) throw new Error('no head has a non-zero weight');
    return total(combine(losses, logits, features));
  }
  const terms: tf.Scalar[] = [];
  for (const [head, z] of logits) {
    const c = coef[head]!;
    if (c === 1) terms.push(meanCrossEntropy(z, oneHot));
    else if (c !== 0) terms.push(tf.mul(meanCrossEntropy(z, oneHot), c) as tf.Scalar);
  }
  if (terms.length === 0) throw new Error('no head has a non-zero weight');
  return total(tf.addN(terms) as tf.Scalar);
}

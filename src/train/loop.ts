/**
 * The one training loop. Every method (uni-modal, naive, aux, Gradient-Blending) and every estimate
 * copy trains through `trainEpochs`; methods differ only in the head weights and blend mode they set.
 */
import * as tf from '@tensorflow/tfjs-core';
import { headGradientScale } from '../core/blend.js';
import type { Rng } from '../core/rng.js';
import type { MultiHeadModel } from '../models/multihead-model.js';
import { DivergedError } from './diverged.js';
import { meanCrossEntropy } from './losses.js';
import type { Optimizer } from './optimizer.js';
import { gatherBatch, type PreparedData } from './prepared-data.js';

export type BlendMode = 'shared' | 'all';

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
 */
export function blendedLoss(model: MultiHeadModel, inputs: Record<string, tf.Tensor>, oneHot: tf.Tensor, step: StepWeights, nextSeed?: () => number): tf.Scalar {
  const shared = step.mode === 'shared';
  const coef: Record<string, number> = {};
  const gradScale: Record<string, number> = {};
  for (const head of model.headNames) {
    const w = step.weights[head] ?? 0;
    const s = shared ? 1 / headGradientScale(w) : 1;
    gradScale[head] = s;
    coef[head] = w / s;
  }
  const logits = model.forward(inputs, { training: true, ...(shared ? { gradScale } : {}), ...(nextSeed ? { nextSeed } : {}) });
  const terms: tf.Scalar[] = [];
  for (const [head, z] of logits) {
    const c = coef[head]!;
    if (c === 1) terms.push(meanCrossEntropy(z, oneHot));
    else if (c !== 0) terms.push(tf.mul(meanCrossEntropy(z, oneHot), c) as tf.Scalar);
  }
  if (terms.length === 0) throw new Error('no head has a non-zero weight');
  return tf.addN(terms) as tf.Scalar;
}

export interface EpochHooks {
  /** Called after each epoch with its 0-based index; may be async (evaluation, logging). */
  afterEpoch?(epoch: number): Promise<void>;
}

/** Trains `model` for `epochs` epochs over `rows` in shuffled minibatches. */
export async function trainEpochs(
  model: MultiHeadModel,
  data: PreparedData,
  rows: number[],
  epochs: number,
  step: () => StepWeights,
  optimizer: Optimizer,
  batchSize: number,
  rng: Rng,
  hooks: EpochHooks = {},
): Promise<void> {
  const variables = model.variables();
  // Dropout draws from its own stream, keyed by one draw of `rng` so that each call (the run trains
  // one epoch per call) gets fresh masks; made on first use, so runs without dropout draw nothing extra.
  let dropoutRng: Rng | null = null;
  const nextSeed = (): number => {
    dropoutRng ??= rng.fork(`dropout-${rng.int(2 ** 31 - 1)}`);
    return dropoutRng.int(2 ** 31 - 1);
  };
  const order = rows.slice();
  const steps = Math.ceil(order.length / batchSize);
  for (let epoch = 0; epoch < epochs; epoch++) {
    rng.shuffle(order);
    const weights = step();
    for (let start = 0; start < order.length; start += batchSize) {
      const batch = Int32Array.from(order.slice(start, start + batchSize));
      tf.tidy(() => {
        const { inputs, oneHot } = gatherBatch(data, model.modalities, batch);
        const { value, grads } = tf.variableGrads(() => blendedLoss(model, inputs, oneHot, weights, nextSeed), variables);
        // Checked before the update, so a diverged step never reaches the weights (tidy frees the tensors).
        const loss = value.dataSync()[0]!;
        if (!Number.isFinite(loss)) throw new DivergedError(loss, epoch + 1, start / batchSize + 1, steps);
        optimizer.apply(grads, variables);
      });
    }
    // Yield so progress printing and timers run during long trainings.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (hooks.afterEpoch) await hooks.afterEpoch(epoch);
  }
}

/**
 * The one training loop. Every method (uni-modal, naive, aux, Gradient-Blending) and every estimate
 * copy trains through `trainEpochs`; methods differ in the head weights and blend mode they set, and
 * act on each step through the loop's hooks.
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
export function blendedLoss(
  model: MultiHeadModel,
  inputs: Record<string, tf.Tensor>,
  oneHot: tf.Tensor,
  step: StepWeights,
  nextSeed?: () => number,
  onOutputs?: (logits: Map<string, tf.Tensor>, features: Map<string, tf.Tensor>) => void,
): tf.Scalar {
  const shared = step.mode === 'shared';
  const coef: Record<string, number> = {};
  const gradScale: Record<string, number> = {};
  for (const head of model.headNames) {
    const w = step.weights[head] ?? 0;
    const s = shared ? 1 / headGradientScale(w) : 1;
    gradScale[head] = s;
    coef[head] = w / s;
  }
  let features = new Map<string, tf.Tensor>();
  const onFeatures = onOutputs ? (f: Map<string, tf.Tensor>) => void (features = f) : undefined;
  const logits = model.forward(inputs, { training: true, ...(shared ? { gradScale } : {}), ...(nextSeed ? { nextSeed } : {}), ...(onFeatures ? { onFeatures } : {}) });
  onOutputs?.(logits, features);
  const terms: tf.Scalar[] = [];
  for (const [head, z] of logits) {
    const c = coef[head]!;
    if (c === 1) terms.push(meanCrossEntropy(z, oneHot));
    else if (c !== 0) terms.push(tf.mul(meanCrossEntropy(z, oneHot), c) as tf.Scalar);
  }
  if (terms.length === 0) throw new Error('no head has a non-zero weight');
  return tf.addN(terms) as tf.Scalar;
}

/** Where the loop is: epoch (0-based, counted from LoopOptions.firstEpoch) and step within it, and the batch's rows. */
export interface StepInfo {
  epoch: number;
  step: number;
  batch: Int32Array;
  weights: StepWeights;
}

/** What one step computed, for hooks that act on it (a method that modulates gradients by confidence). */
export interface StepTensors {
  inputs: Record<string, tf.Tensor>;
  oneHot: tf.Tensor;
  /** Logits per head, as the loss saw them. */
  logits: Map<string, tf.Tensor>;
  /** Each modality's encoder output, as the heads saw it. */
  features: Map<string, tf.Tensor>;
}

/**
 * The loop's extension points, called in this order (the shape of Lightning's on_train_batch_start,
 * on_after_backward / on_before_optimizer_step and on_train_batch_end, and tfjs-layers' onBatchBegin/End).
 * Step hooks run synchronously inside the step's tf.tidy: tensors they make are freed with the step.
 * With no hook installed a step does exactly what it did before hooks existed.
 */
export interface LoopHooks {
  /** Before each batch: the weights for this step, or undefined to keep the epoch's. */
  beforeStep?(info: StepInfo): StepWeights | undefined;
  /**
   * After the gradients are computed, before the optimizer applies them. Gradients are keyed by
   * variable name (see MultiHeadModel.variableOwners for which encoder or head owns each); the hook
   * returns the gradients to apply: the same map, scaled, projected or replaced.
   */
  afterBackward?(grads: tf.NamedTensorMap, step: StepTensors, info: StepInfo): tf.NamedTensorMap;
  /** After the optimizer step, with the step's loss (already read: the loop checks it is finite). */
  afterStep?(info: StepInfo, loss: number): void;
  /** After each epoch with its 0-based index; may be async (evaluation, logging). */
  afterEpoch?(epoch: number): Promise<void>;
}

export interface LoopOptions {
  model: MultiHeadModel;
  data: PreparedData;
  /** Training rows, shuffled every epoch. */
  rows: number[];
  epochs: number;
  /** The weights of each epoch, asked once at its start. */
  weights: () => StepWeights;
  optimizer: Optimizer;
  batchSize: number;
  rng: Rng;
  hooks?: LoopHooks;
  /** The epoch number the hooks see for this call's first epoch (a run trains one epoch per call). */
  firstEpoch?: number;
}

/** Trains `model` for `epochs` epochs over `rows` in shuffled minibatches. */
export async function trainEpochs(o: LoopOptions): Promise<void> {
  const { model, data, optimizer, batchSize, rng, hooks = {}, firstEpoch = 0 } = o;
  const variables = model.variables();
  // Dropout draws from its own stream, keyed by one draw of `rng` so that each call (the run trains
  // one epoch per call) gets fresh masks; made on first use, so runs without dropout draw nothing extra.
  let dropoutRng: Rng | null = null;
  const nextSeed = (): number => {
    dropoutRng ??= rng.fork(`dropout-${rng.int(2 ** 31 - 1)}`);
    return dropoutRng.int(2 ** 31 - 1);
  };
  const order = o.rows.slice();
  const steps = Math.ceil(order.length / batchSize);
  for (let epoch = firstEpoch; epoch < firstEpoch + o.epochs; epoch++) {
    rng.shuffle(order);
    const epochWeights = o.weights();
    for (let start = 0, step = 0; start < order.length; start += batchSize, step++) {
      const batch = Int32Array.from(order.slice(start, start + batchSize));
      tf.tidy(() => {
        const info: StepInfo = { epoch, step, batch, weights: epochWeights };
        if (hooks.beforeStep) info.weights = hooks.beforeStep(info) ?? epochWeights;
        const { inputs, oneHot } = gatherBatch(data, model.modalities, batch);
        // Logits and features escape the gradient function's scope only when a hook will read them.
        let kept: StepTensors | null = null;
        const keep = (m: Map<string, tf.Tensor>): Map<string, tf.Tensor> => new Map([...m].map(([k, t]) => [k, tf.keep(t)]));
        const keepOutputs = hooks.afterBackward
          ? (logits: Map<string, tf.Tensor>, features: Map<string, tf.Tensor>) => void (kept = { inputs, oneHot, logits: keep(logits), features: keep(features) })
          : undefined;
        const { value, grads } = tf.variableGrads(() => blendedLoss(model, inputs, oneHot, info.weights, nextSeed, keepOutputs), variables);
        // Checked before the update, so a diverged step never reaches the weights (tidy frees the tensors).
        const loss = value.dataSync()[0]!;
        let applied = grads;
        try {
          // Counted within this call: the caller adds its own epoch base (DivergedError.within).
          if (!Number.isFinite(loss)) throw new DivergedError(loss, epoch - firstEpoch + 1, step + 1, steps);
          if (hooks.afterBackward) applied = hooks.afterBackward(grads, kept!, info);
        } finally {
          const k = kept as StepTensors | null;
          if (k !== null) tf.dispose([...k.logits.values(), ...k.features.values()]);
        }
        optimizer.apply(applied, variables);
        if (hooks.afterStep) hooks.afterStep(info, loss);
      });
    }
    // Yield so progress printing and timers run during long trainings.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (hooks.afterEpoch) await hooks.afterEpoch(epoch);
  }
}

/**
 * The one training loop. Every method (uni-modal, naive, aux, Gradient-Blending) and every estimate
 * copy trains through `trainEpochs`; methods differ in the head weights and blend mode they set, and
 * act on each step through the loop's hooks.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../core/rng.js';
import type { MultiHeadModel } from '../models/multihead-model.js';
import { DivergedError } from './diverged.js';
import type { BlendedLossExtras, StepWeights } from './blended-loss.js';
import type { Optimizer } from './optimizer.js';
import { InterruptedError, type StopSignal } from './interrupted.js';
import { nativeStepper } from './native-step.js';
import { gatherBatch, type PreparedData } from './prepared-data.js';
import { stepGradients } from './step-gradients.js';

export { blendedLoss, type BlendMode, type StepWeights } from './blended-loss.js';

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
  /** With LoopHooks.perHeadGradients: per head of non-zero weight, the gradient of its own term. */
  headGrads: Map<string, tf.NamedTensorMap> | null;
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
  /**
   * Ask for each head's gradient apart (step.headGrads): one backward pass per head instead of one in
   * all, for methods that compare them. `grads` is then their sum, the same gradient as otherwise.
   */
  perHeadGradients?: boolean;
  /** The method's own trainable variables (e.g. learnable loss weights), stepped by the same optimizer. */
  variables?: tf.Variable[];
  /**
   * Replaces the weighted sum of the heads' losses, inside the gradient computation: from each weighted
   * head's plain loss and the forward pass (headGrads is null there).
   */
  combineLosses?(losses: Map<string, tf.Scalar>, step: StepTensors, info: StepInfo): tf.Scalar;
  /**
   * A term added to the step's loss, inside the gradient computation, from the forward pass's logits
   * and features (headGrads is null there); null adds nothing.
   */
  extraLoss?(step: StepTensors, info: StepInfo): tf.Scalar | null;
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
  /** Read before every step: once it is stopped, the loop throws InterruptedError (a step is never cut in half). */
  stop?: StopSignal;
}

const YIELD_EVERY_MS = 50;
let lastYield = 0;

/**
 * Signals (Ctrl-C) and a worker's messages arrive only when the event loop turns, and a step does not
 * let it: with a stop signal, the loop yields once every 50 ms of training, between steps.
 */
function timeToYield(): boolean {
  const now = performance.now();
  if (now - lastYield < YIELD_EVERY_MS) return false;
  lastYield = now;
  return true;
}

/**
 * What the step's hooks read or add inside the gradient computation, as the blended loss's extras;
 * empty without such hooks. Logits and features escape the gradient function's scope (`onKept`) only
 * when afterBackward will read them.
 */
function lossExtras(hooks: LoopHooks, inputs: Record<string, tf.Tensor>, oneHot: tf.Tensor, info: StepInfo, onKept: (k: StepTensors) => void): BlendedLossExtras {
  const tensors = (logits: Map<string, tf.Tensor>, features: Map<string, tf.Tensor>): StepTensors => ({ inputs, oneHot, logits, features, headGrads: null });
  const keep = (m: Map<string, tf.Tensor>): Map<string, tf.Tensor> => new Map([...m].map(([k, t]) => [k, tf.keep(t)]));
  const { afterBackward, combineLosses, extraLoss } = hooks;
  return {
    ...(afterBackward ? { onOutputs: (l: Map<string, tf.Tensor>, f: Map<string, tf.Tensor>) => onKept(tensors(keep(l), keep(f))) } : {}),
    ...(combineLosses ? { combine: (losses: Map<string, tf.Scalar>, l: Map<string, tf.Tensor>, f: Map<string, tf.Tensor>) => combineLosses.call(hooks, losses, tensors(l, f), info) } : {}),
    ...(extraLoss ? { extraLoss: (l: Map<string, tf.Tensor>, f: Map<string, tf.Tensor>) => extraLoss.call(hooks, tensors(l, f), info) } : {}),
  };
}

/** Trains `model` for `epochs` epochs over `rows` in shuffled minibatches. */
export async function trainEpochs(o: LoopOptions): Promise<void> {
  const { model, data, optimizer, batchSize, rng, hooks = {}, firstEpoch = 0 } = o;
  // The method's variables go last: the tfjs optimizers keep their state by position.
  const variables = [...model.variables(), ...(hooks.variables ?? [])];
  // Dropout draws from its own stream, keyed by one draw of `rng` so that each call (the run trains
  // one epoch per call) gets fresh masks; made on first use, so runs without dropout draw nothing extra.
  let dropoutRng: Rng | null = null;
  const nextSeed = (): number => {
    dropoutRng ??= rng.fork(`dropout-${rng.int(2 ** 31 - 1)}`);
    return dropoutRng.int(2 ** 31 - 1);
  };
  /**
   * One step through tfjs' kernels on `info`'s batch; returns its loss. `check` sees the loss before
   * the update, so that a diverged step never reaches the weights.
   */
  const opStep = (info: StepInfo, check: (loss: number) => void): number => {
    const { inputs, oneHot } = gatherBatch(data, model.modalities, info.batch);
    let kept: StepTensors | null = null;
    const extras = lossExtras(hooks, inputs, oneHot, info, (k) => void (kept = k));
    const { value, grads, headGrads } = stepGradients({
      model, inputs, oneHot, weights: info.weights, variables, nextSeed, perHead: hooks.perHeadGradients === true, extras,
    });
    if (kept !== null) (kept as StepTensors).headGrads = headGrads;
    const loss = value.dataSync()[0]!;
    let applied = grads;
    try {
      check(loss);
      if (hooks.afterBackward) applied = hooks.afterBackward(grads, kept!, info);
    } finally {
      const k = kept as StepTensors | null;
      if (k !== null) tf.dispose([...k.logits.values(), ...k.features.values()]);
    }
    optimizer.apply(applied, variables);
    return loss;
  };
  // On the native backend, a whole step in one call where the model and the hooks allow it; it
  // updates nothing when the loss is not finite.
  const native = nativeStepper(model, data, optimizer, hooks, batchSize);
  const order = o.rows.slice();
  const steps = Math.ceil(order.length / batchSize);
  for (let epoch = firstEpoch; epoch < firstEpoch + o.epochs; epoch++) {
    rng.shuffle(order);
    const epochWeights = o.weights();
    for (let start = 0, step = 0; start < order.length; start += batchSize, step++) {
      if (o.stop !== undefined) {
        if (timeToYield()) await new Promise<void>((resolve) => setImmediate(resolve));
        if (o.stop.stopped) throw new InterruptedError();
      }
      const batch = Int32Array.from(order.slice(start, start + batchSize));
      // Counted within this call: the caller adds its own epoch base (DivergedError.within).
      const check = (loss: number): void => {
        if (!Number.isFinite(loss)) throw new DivergedError(loss, epoch - firstEpoch + 1, step + 1, steps);
      };
      // In a tidy: tensors the step and its hooks make are freed with it.
      tf.tidy(() => {
        const info: StepInfo = { epoch, step, batch, weights: epochWeights };
        if (hooks.beforeStep) info.weights = hooks.beforeStep(info) ?? epochWeights;
        let loss: number;
        if (native !== null) {
          loss = native.step(batch, info.weights, nextSeed);
          check(loss);
        } else {
          loss = opStep(info, check);
        }
        if (hooks.afterStep) hooks.afterStep(info, loss);
      });
    }
    // Yield so progress printing and timers run during long trainings.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (hooks.afterEpoch) await hooks.afterEpoch(epoch);
  }
}

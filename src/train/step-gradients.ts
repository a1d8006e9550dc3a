/**
 * One step's gradients, as the loop needs them: the blended loss's gradient in one backward pass,
 * or, for a method that compares the heads' gradients (MMPareto), one backward pass per head with
 * the same dropout masks, plus their sum (which equals the one-pass gradient).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MultiHeadModel } from '../models/multihead-model.js';
import { blendedLoss, type BlendedLossExtras, type StepWeights } from './blended-loss.js';

export interface StepGradients {
  value: tf.Scalar;
  grads: tf.NamedTensorMap;
  /** Per head of non-zero weight, the gradient of its term alone; null unless asked for. */
  headGrads: Map<string, tf.NamedTensorMap> | null;
}

export interface StepGradientsOptions {
  model: MultiHeadModel;
  inputs: Record<string, tf.Tensor>;
  oneHot: tf.Tensor;
  weights: StepWeights;
  variables: tf.Variable[];
  nextSeed: () => number;
  /** One backward pass per head of non-zero weight (headGrads), instead of one in all. */
  perHead?: boolean;
  /** Passed on to the blended loss (see BlendedLossExtras). */
  extras?: BlendedLossExtras;
}

export function stepGradients(o: StepGradientsOptions): StepGradients {
  const { model, inputs, oneHot, weights, variables, nextSeed, extras = {} } = o;
  if (!o.perHead) {
    const { value, grads } = tf.variableGrads(() => blendedLoss(model, inputs, oneHot, weights, nextSeed, extras), variables);
    return { value, grads, headGrads: null };
  }
  if (extras.combine || extras.extraLoss) throw new Error("a method cannot both change the loss and ask for per-head gradients");
  const { onOutputs } = extras;
  // The first pass draws the dropout seeds; the others replay them, so every head sees one forward pass.
  const seeds: number[] = [];
  let pass = 0;
  const seedOf = (): number => {
    if (pass === 0) seeds.push(nextSeed());
    return seeds[seedIndex++]!;
  };
  let seedIndex = 0;
  const headGrads = new Map<string, tf.NamedTensorMap>();
  const values: tf.Scalar[] = [];
  for (const head of model.headNames) {
    const w = weights.weights[head] ?? 0;
    if (w === 0) continue;
    seedIndex = 0;
    const one: StepWeights = { weights: { [head]: w }, mode: weights.mode };
    const { value, grads } = tf.variableGrads(() => blendedLoss(model, inputs, oneHot, one, seedOf, pass === 0 && onOutputs ? { onOutputs } : {}), variables);
    headGrads.set(head, grads);
    values.push(value);
    pass++;
  }
  if (values.length === 0) throw new Error('no head has a non-zero weight');
  const grads: tf.NamedTensorMap = {};
  for (const g of headGrads.values()) for (const [name, t] of Object.entries(g)) grads[name] = grads[name] ? tf.add(grads[name]!, t) : t;
  return { value: tf.addN(values) as tf.Scalar, grads, headGrads };
}

/**
 * The loop's fast path on the native backend: a whole step of an MLP model (forward, the blended
 * loss's gradient, the optimizer's update) as one addon call, and every head's evaluation as another,
 * instead of some 230 tfjs kernels a step (docs/small-models.md). The tfjs path stays the reference:
 * tests hold the two to the same loss curve, and GBLEND_NATIVE_STEP=0 (or setNativeSteps(false))
 * makes every step go through tfjs.
 *
 * A step takes the fast path only when it computes exactly what the tfjs step would: the model has a
 * plan (models/mlp-plan.ts), the optimizer is the fused native one, and the method's hooks neither
 * read nor change the gradient or the loss (weights per step and per-step callbacks are fine).
 * Dropout draws its seeds from the loop's stream in the order tfjs' forward pass does (every encoder
 * layer in turn, then the fused head's input), and the addon draws each mask as tf.dropout would.
 */
import * as tf from '@tensorflow/tfjs-core';
import { NATIVE_BACKEND } from '../engine/native/index.js';
import { nativeMlpEval, nativeMlpStep, type NativeDropout, type NativeMlpCall } from '../engine/native/mlp-step.js';
import type { FusedOptimizer } from '../engine/native/fused-optimizer.js';
import { mlpPlan, type MlpPlan } from '../models/mlp-plan.js';
import type { MultiHeadModel } from '../models/multihead-model.js';
import { headTerms, type StepWeights } from './blended-loss.js';
import type { LoopHooks } from './loop.js';
import type { Optimizer } from './optimizer.js';
import type { PreparedData } from './prepared-data.js';

let enabled = process.env['GBLEND_NATIVE_STEP'] !== '0';

/** Turns the native fast path on or off (tests compare it with the tfjs path); returns the previous setting. */
export function setNativeSteps(on: boolean): boolean {
  const before = enabled;
  enabled = on;
  return before;
}

/** The model's plan where the native fast path may run it at all (native backend, switched on), else null. */
function nativePlan(model: MultiHeadModel): MlpPlan | null {
  if (!enabled || tf.getBackend() !== NATIVE_BACKEND) return null;
  const plan = mlpPlan(model);
  return typeof plan === 'string' ? null : plan;
}

/** Dropout in training: the rates, and where seeds come from; none in inference. */
interface StepDropout {
  rate: number;
  fusedRate: number;
  nextSeed: () => number;
}

function callOf(plan: MlpPlan, data: PreparedData, rows: ArrayLike<number>, terms: (head: string) => { coef: number; gradScale: number }, dropout: StepDropout | null): NativeMlpCall {
  // A seed only where tfjs' forward pass draws one (a rate above 0), in its order: the encoders are
  // mapped, layer by layer, before the heads.
  const draw = (rate: number | undefined): NativeDropout | null => (dropout !== null && rate !== undefined && rate > 0 ? { rate, seed: dropout.nextSeed() } : null);
  return {
    labels: data.oneHot,
    encoders: plan.encoders.map((e) => ({ data: data.inputs[e.modality]!, layers: e.layers, dropouts: e.layers.map(() => draw(dropout?.rate)) })),
    heads: plan.heads.map((h) => ({ source: h.source, inputDropout: h.source < 0 ? draw(dropout?.fusedRate) : null, layers: h.layers, ...terms(h.name) })),
    rows,
  };
}

export interface NativeStepper {
  /**
   * One step on `batch` with `weights`, dropout seeds from `nextSeed`; returns the loss (not finite:
   * nothing was updated).
   */
  step(batch: Int32Array, weights: StepWeights, nextSeed: () => number): number;
}

/**
 * The largest batch the fast path takes: its rows travel in the addon's io buffer (65,536 numbers,
 * beside the plan). Bigger batches, where a step's overhead no longer matters, go through tfjs.
 */
export const MAX_NATIVE_BATCH = 32_768;

/** The native fast path for the loop's steps, or null where a step must go through tfjs. */
export function nativeStepper(model: MultiHeadModel, data: PreparedData, optimizer: Optimizer, hooks: LoopHooks, batchSize: number): NativeStepper | null {
  const plan = nativePlan(model);
  const fused: FusedOptimizer | null = optimizer.fused;
  if (plan === null || fused === null || batchSize > MAX_NATIVE_BATCH) return null;
  if (hooks.afterBackward || hooks.perHeadGradients || hooks.combineLosses || hooks.extraLoss || (hooks.variables?.length ?? 0) > 0) return null;
  const { dropout: rate, fusedDropout: fusedRate } = model.spec.config;
  return {
    step(batch, weights, nextSeed) {
      const { coef, gradScale } = headTerms(model.headNames, weights);
      if (model.headNames.every((h) => coef[h] === 0)) throw new Error('no head has a non-zero weight');
      return nativeMlpStep(callOf(plan, data, batch, (h) => ({ coef: coef[h]!, gradScale: gradScale[h]! }), { rate, fusedRate, nextSeed }), fused);
    },
  };
}

/**
 * Every head of `model` on `rows` in inference mode, natively: per head, per row [loss, correct,
 * logits...] (heads x rows x (2 + classes when `withLogits`)); null where the fast path does not apply.
 */
export function nativeEvaluate(model: MultiHeadModel, data: PreparedData, rows: ArrayLike<number>, withLogits: boolean): Float32Array | null {
  const plan = nativePlan(model);
  if (plan === null) return null;
  return nativeMlpEval(callOf(plan, data, rows, () => ({ coef: 0, gradScale: 1 }), null), withLogits);
}

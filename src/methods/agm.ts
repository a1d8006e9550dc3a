/**
 * AGM (Li et al., ICCV 2023) on naive late fusion of two modalities. Each modality's output is its
 * Shapley-style share of the fused output, from forward passes with the other modality's input set
 * to zero (the authors' formula, whose two shares add up to the fused output f(a, b)):
 *   m_a = (f(a, b) - f(0, b) + f(a, 0)) / 2,   m_b = (f(a, b) - f(a, 0) + f(0, b)) / 2.
 * The loss is the fused cross-entropy of m_a + m_b = f(a, b), but the gradient reaching each share
 * is scaled by its modality's coefficient (core/agm.ts), so gradients also flow through the two
 * masked passes: d/dz of the loss is g = softmax(z) - y, and the update follows
 *   (c_a + c_b)/2 J_f(a,b)^T g + (c_a - c_b)/2 J_f(a,0)^T g + (c_b - c_a)/2 J_f(0,b)^T g.
 * With c_a = c_b = 1 this is naive fusion's gradient exactly.
 *
 * [choice] Exactly two modalities (the authors' formula is for two). The masked passes run without
 * dropout, as the authors' run them in eval mode. Their code also clips the gradient norm at 1 when a
 * head gradient exceeds 1; we do not (none of our other methods clip).
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { agmCoefficients, updateRunning } from '../core/agm.js';
import { FUSED } from '../models/heads.js';
import type { MultiHeadModel } from '../models/multihead-model.js';
import type { LoopHooks, StepTensors } from '../train/loop.js';
import { MethodError, type StepHookContext } from '../train/method.js';
import { EpochMeans, onFusedLoss } from './common.js';
import type { MethodDefinition } from './definition.js';

const options = z
  .object({
    alpha: z.number().min(0).default(1).describe('modulation strength: scale exp(alpha (running ratio - ratio)) (the authors: 1)'),
    endFraction: z.number().gt(0).max(1).default(1).describe('fraction of the epochs, from the start, with modulation (the authors: all)'),
  })
  .strict();
type AgmOptions = z.infer<typeof options>;

/** Mean over the batch of -log max(softmax(m)[y], 1e-8): a constant (read from the device). */
function score(share: tf.Tensor, oneHot: tf.Tensor): number {
  return tf.tidy(() => tf.mean(tf.neg(tf.log(tf.maximum(tf.sum(tf.mul(tf.softmax(share), oneHot), 1), 1e-8)))).dataSync()[0]!);
}

/** The running mean of every step's scores, and the number of steps: AGM's state between epochs. */
interface Running {
  scores: Record<string, number>;
  steps: number;
}

function agmHooks(o: AgmOptions, state: Running, model: MultiHeadModel, run: StepHookContext): LoopHooks {
  const [a, b] = model.modalities as [string, string];
  const lastModulated = Math.round(o.endFraction * run.epochs) - 1;
  // The authors start the running scores at 0 (a running ratio of 1).
  if (state.steps === 0) state.scores = { [a]: 0, [b]: 0 };
  const means = new EpochMeans();
  const masked = (step: StepTensors, m: string): tf.Tensor =>
    model.forward({ ...step.inputs, [m]: tf.zerosLike(step.inputs[m]!) }, { training: false }).get(FUSED)!;
  return {
    combineLosses(losses, step, info) {
      const fused = losses.get(FUSED)!;
      const z = step.logits.get(FUSED)!;
      const withoutB = masked(step, b); // f(a, 0)
      const withoutA = masked(step, a); // f(0, b)
      const shareA = tf.mul(tf.add(tf.sub(z, withoutA), withoutB), 0.5);
      const shareB = tf.mul(tf.add(tf.sub(z, withoutB), withoutA), 0.5);
      const scores = { [a]: score(shareA, step.oneHot), [b]: score(shareB, step.oneHot) };
      const { ratio, coefficient } = agmCoefficients(scores, state.scores, o.alpha);
      state.scores = updateRunning(state.scores, scores, state.steps++);
      const [ca, cb] = info.epoch > lastModulated ? [1, 1] : [coefficient[a]!, coefficient[b]!];
      means.add({ [`coef_${a}`]: ca, [`coef_${b}`]: cb, [`ratio_${a}`]: ratio[a]!, [`ratio_${b}`]: ratio[b]! });
      // g = d(mean CE)/dz, as a constant; the surrogate's gradient is AGM's, its value the fused loss.
      const n = z.shape[0]!;
      const g = tf.tensor((tf.tidy(() => tf.div(tf.sub(tf.softmax(z), step.oneHot), n)).dataSync() as Float32Array).slice(), z.shape);
      const combined = tf.addN([tf.mul(z, (ca + cb) / 2), tf.mul(withoutB, (ca - cb) / 2), tf.mul(withoutA, (cb - ca) / 2)]);
      const surrogate = tf.sum(tf.mul(g, combined)) as tf.Scalar;
      return tf.add(surrogate, fused.dataSync()[0]! - surrogate.dataSync()[0]!) as tf.Scalar;
    },
    afterEpoch: async () => means.flush(run.report),
  };
}

export const agm: MethodDefinition = {
  name: 'agm',
  summary: "naive fusion of two modalities; each one's share of the output (from masked passes) gets its gradient scaled by how fast it learns (ICCV 2023)",
  cost: 'naive plus two masked forward passes (and their backward) a step',
  inDefaults: false,
  options,
  create: (_p, raw) => {
    const o = options.parse(raw);
    const state: Running = { scores: {}, steps: 0 };
    return {
      ...onFusedLoss('agm'),
      heads: (modalities) => {
        if (modalities.length !== 2) throw new MethodError(`method 'agm' needs exactly 2 modalities (its Shapley shares are defined for two), got ${modalities.length}`);
        return [FUSED];
      },
      stepHooks: (model, run) => agmHooks(o, state, model, run),
      saveState: () => structuredClone(state),
      loadState: (saved) => Object.assign(state, structuredClone(saved as Running)),
    };
  },
};

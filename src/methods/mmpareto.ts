/**
 * MMPareto (Wei and Hu, "MMPareto: Boosting Multimodal Learning with Innocent Unimodal Assistance",
 * ICML 2024). Every uni-modal head plus the fused head, each trained on its own loss (L_m + sum_u L_u).
 * Each encoder u gets two gradients, from the fused loss and from its own head's loss; where they
 * conflict, they are combined with Pareto (min-norm) weights instead of being added (core/pareto.ts),
 * then scaled up to at least the plain sum's norm, times gamma, per tensor, as in the authors' code.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { paretoWeights } from '../core/pareto.js';
import { FUSED } from '../models/heads.js';
import type { MultiHeadModel } from '../models/multihead-model.js';
import type { LoopHooks } from '../train/loop.js';
import type { StepHookContext } from '../train/method.js';
import { EpochMeans, onEveryPlainLoss } from './common.js';
import type { MethodDefinition } from './definition.js';

const options = z
  .object({
    gamma: z.number().positive().default(1.5).describe('factor on the combined encoder gradient (the authors use 1.5)'),
  })
  .strict();

const sum = (xs: tf.Tensor[]): tf.Scalar => (xs.length === 0 ? tf.scalar(0) : (tf.addN(xs.map((x) => tf.sum(x))) as tf.Scalar));

function paretoHooks(gamma: number, model: MultiHeadModel, run: StepHookContext): LoopHooks {
  const owners = model.variableOwners();
  const byModality = new Map<string, string[]>();
  for (const [name, o] of owners) if (o.kind === 'encoder') byModality.set(o.modality, [...(byModality.get(o.modality) ?? []), name]);
  const means = new EpochMeans();
  return {
    perHeadGradients: true,
    afterBackward(grads, step) {
      const fused = step.headGrads!.get(FUSED);
      const modalities = [...byModality.keys()];
      // Each encoder tensor's two gradients, g_m (fused loss) and g_u (its own head's); the step's tidy frees them.
      const pairs = new Map(modalities.map((m) => [m, byModality.get(m)!.map((n) => ({
        n,
        gm: fused?.[n] ?? tf.zerosLike(grads[n]!),
        gu: step.headGrads!.get(m)?.[n] ?? tf.zerosLike(grads[n]!),
      }))]));
      // The inner products of every encoder's two gradients, read in one go.
      const products = tf.tidy(() => tf.stack(modalities.map((m) => {
        const ps = pairs.get(m)!;
        return tf.stack([sum(ps.map((p) => tf.square(p.gm))), sum(ps.map((p) => tf.square(p.gu))), sum(ps.map((p) => tf.mul(p.gm, p.gu)))]);
      })).arraySync() as number[][]);
      const out: tf.NamedTensorMap = { ...grads };
      const seen: Record<string, number> = {};
      modalities.forEach((m, i) => {
        const [mm, uu, mu] = products[i]!;
        const w = paretoWeights({ mm: mm!, uu: uu!, mu: mu! });
        Object.assign(seen, { [`cos_${m}`]: w.cosine, [`conflict_${m}`]: w.conflict ? 1 : 0, [`alpha_fused_${m}`]: w.alphaM });
        for (const { n, gm, gu } of pairs.get(m)!) {
          const combined = tf.add(tf.mul(gm, 2 * w.alphaM), tf.mul(gu, 2 * w.alphaU));
          // Never shorter than the plain sum's gradient (grads[n] = g_m + g_u), per tensor.
          const ratio = tf.div(tf.norm(grads[n]!), tf.add(tf.norm(combined), 1e-12));
          out[n] = tf.mul(combined, tf.mul(tf.maximum(ratio, 1), gamma));
        }
      });
      means.add(seen);
      return out;
    },
    afterEpoch: async () => means.flush(run.report),
  };
}

export const mmpareto: MethodDefinition = {
  name: 'mmpareto',
  summary: 'aux heads on plain losses; per encoder, fused and own gradients combined by Pareto weights when they conflict (ICML 2024)',
  cost: 'k+1 backward passes a step (one per head) instead of one',
  inDefaults: false,
  options,
  create: (_p, raw) => {
    const o = options.parse(raw);
    return {
      ...onEveryPlainLoss('mmpareto'),
      stepHooks: (model, run) => paretoHooks(o.gamma, model, run),
    };
  },
};

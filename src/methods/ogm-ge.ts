/**
 * OGM-GE (Peng, Wei, Deng, Wang, Hu, "Balanced Multimodal Learning via On-the-fly Gradient
 * Modulation", CVPR 2022) on naive late fusion. At every step, each modality's confidence on the
 * true class is measured from its own contribution to the fused output; the encoder of a modality
 * that is ahead gets its gradient scaled down (core/ogm.ts), and every encoder's gradient gets
 * Gaussian noise with that gradient's own standard deviation (GE, generalisation enhancement).
 *
 * [choice] A modality's contribution: the fused head on its features with the others' zeroed, minus
 * (k-1)/k of the head's output on all-zero features. For a linear fused head this is exactly the
 * paper's W_u phi_u + b/k, and the contributions sum to the fused logits; ours has a hidden layer,
 * where it is the natural extension (the fused head's response to that modality alone). The same
 * holds for mid fusion (the shared trunk is part of the head's response); se, nl and lmf are refused.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ogmCoefficients } from '../core/ogm.js';
import { FUSED } from '../models/heads.js';
import type { MultiHeadModel } from '../models/multihead-model.js';
import type { LoopHooks, StepTensors } from '../train/loop.js';
import type { StepHookContext } from '../train/method.js';
import { EpochMeans, onFusedLoss } from './common.js';
import type { MethodDefinition } from './definition.js';

const options = z
  .object({
    alpha: z.number().min(0).default(0.5).describe('modulation strength: a leading modality gets 1 - tanh(alpha * ratio)'),
    noise: z.boolean().default(true).describe('GE: Gaussian noise with each encoder gradient\'s own std (false: plain OGM)'),
    endFraction: z.number().gt(0).max(1).default(0.5).describe('fraction of the epochs, from the start, with modulation (the paper: 50 of 100)'),
  })
  .strict();
type OgmOptions = z.infer<typeof options>;

/** Per modality, sum over the batch of softmax(contribution)[true class]. One device read. */
function confidenceScores(model: MultiHeadModel, step: StepTensors): Record<string, number> {
  const modalities = [...step.features.keys()];
  const k = modalities.length;
  const values = tf.tidy(() => {
    const zeros = new Map([...step.features].map(([m, f]) => [m, tf.zerosLike(f)]));
    const base = tf.mul(model.applyHead(FUSED, zeros), (k - 1) / k);
    const scores = modalities.map((u) => {
      const alone = new Map([...zeros].map(([m, z0]) => [m, m === u ? step.features.get(m)! : z0]));
      const contribution = tf.sub(model.applyHead(FUSED, alone), base);
      return tf.sum(tf.mul(tf.softmax(contribution), step.oneHot));
    });
    return tf.stack(scores).dataSync();
  });
  return Object.fromEntries(modalities.map((m, i) => [m, values[i]!]));
}

function ogmHooks(o: OgmOptions, model: MultiHeadModel, run: StepHookContext): LoopHooks {
  const owners = model.variableOwners();
  const lastModulated = Math.round(o.endFraction * run.epochs) - 1;
  const means = new EpochMeans();
  return {
    afterBackward(grads, step, info) {
      if (info.epoch > lastModulated) return grads;
      const { ratio, coefficient } = ogmCoefficients(confidenceScores(model, step), o.alpha);
      means.add(Object.fromEntries(Object.keys(coefficient).flatMap((m) => [[`coef_${m}`, coefficient[m]!], [`ratio_${m}`, ratio[m]!]])));
      const out: tf.NamedTensorMap = {};
      for (const [name, g] of Object.entries(grads)) {
        const owner = owners.get(name);
        if (owner?.kind !== 'encoder') {
          out[name] = g;
          continue;
        }
        let modulated = tf.mul(g, coefficient[owner.modality]!);
        if (o.noise) {
          // The noise's scale is the unmodulated gradient's std, as in the authors' implementation.
          const std = tf.add(tf.sqrt(tf.moments(g).variance), 1e-8);
          modulated = tf.add(modulated, tf.mul(tf.randomNormal(g.shape, 0, 1, 'float32', run.rng.int(2 ** 31 - 1)), std));
        }
        out[name] = modulated;
      }
      return out;
    },
    afterEpoch: async () => means.flush(run.report),
  };
}

export const ogmGe: MethodDefinition = {
  name: 'ogm-ge',
  summary: 'naive fusion; every step slows the encoder of the modality ahead, plus gradient noise (CVPR 2022)',
  cost: 'naive plus k+1 small passes of the fused head per step',
  inDefaults: false,
  options,
  create: (_p, raw) => {
    const o = options.parse(raw);
    return {
      ...onFusedLoss('ogm-ge'),
      // A modality's contribution needs features that enter the fused head additively (concatenation):
      // with se/nl gates, zeroing the others changes this modality's gate too; with lmf's product, it
      // leaves only the bias factors.
      fusions: ['late', 'mid'],
      stepHooks: (model, run) => ogmHooks(o, model, run),
    };
  },
};

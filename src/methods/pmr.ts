/**
 * PMR (Fan, Xu, Wang, Huang, Li, Wang, "PMR: Prototypical Modal Rebalance for Multimodal Learning",
 * CVPR 2023) on naive late fusion. Each modality keeps class prototypes, the mean encoder feature of
 * each class over the training rows, recomputed before every epoch with momentum. At every step a
 * modality's prototype probabilities are softmax(-|phi_u(x) - c_k|) over classes; the modality that
 * is behind (core/pmr.ts) gets the prototypical cross-entropy alpha * CE(-distances, y) added to the
 * loss, which pulls its features towards its own class prototypes and speeds its encoder up.
 *
 * [choice] Prototypes from every training row (the authors' code uses the first tenth of the
 * batches, to save time); a distance is sqrt(|.|^2 + 1e-12), so its gradient stays finite at 0.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { blendPrototypes, pmrCoefficients } from '../core/pmr.js';
import { meanCrossEntropy } from '../train/losses.js';
import type { LoopHooks } from '../train/loop.js';
import type { StepHookContext } from '../train/method.js';
import { EpochMeans, onFusedLoss } from './common.js';
import type { MethodDefinition } from './definition.js';

const options = z
  .object({
    alpha: z.number().min(0).default(1).describe('weight of the prototype loss on the modality that is behind (the authors: 1)'),
    momentum: z.number().min(0).max(1).default(0.2).describe("weight of the previous epoch's prototypes (the authors: 0.2)"),
    endFraction: z.number().gt(0).max(1).default(2 / 3).describe('fraction of the epochs, from the start, with the prototype loss (the authors: 100 of 150)'),
  })
  .strict();
type PmrOptions = z.infer<typeof options>;

/** Per class, the mean row of `features` [n, d] over the rows of that class; a class with no row keeps zeros. */
function classMeans(features: Float32Array, d: number, labels: number[], numClasses: number): number[] {
  const sums = new Array<number>(numClasses * d).fill(0);
  const counts = new Array<number>(numClasses).fill(0);
  labels.forEach((y, i) => {
    counts[y]!++;
    for (let j = 0; j < d; j++) sums[y * d + j]! += features[i * d + j]!;
  });
  return sums.map((v, k) => v / Math.max(1, counts[Math.floor(k / d)]!));
}

/** -|phi - c_k| for every row and class: [n, C], as |phi|^2 + |c|^2 - 2 phi.c (one product, no [n, C, d] tensor). */
function negDistances(phi: tf.Tensor, protos: tf.Tensor): tf.Tensor {
  const [n, c] = [phi.shape[0]!, protos.shape[0]!];
  const squared = tf.sub(tf.add(tf.reshape(tf.sum(tf.square(phi), 1), [n, 1]), tf.reshape(tf.sum(tf.square(protos), 1), [1, c])), tf.mul(tf.matMul(phi, protos, false, true), 2));
  // Rounding can take a squared distance just below 0.
  return tf.neg(tf.sqrt(tf.add(tf.relu(squared), 1e-12)));
}

/**
 * `protos`: the current prototypes per modality, owned (and freed) by the method; `previous`: the last
 * epoch's prototypes as numbers, the method's state between epochs (checkpoints).
 */
function pmrHooks(o: PmrOptions, protos: Map<string, tf.Tensor>, previous: Map<string, number[]>, run: StepHookContext): LoopHooks {
  const lastModulated = Math.round(o.endFraction * run.epochs) - 1;
  const means = new EpochMeans();
  const labels = run.trainRows.map((r) => run.labels[r]!);
  return {
    beforeStep(info) {
      if (info.step !== 0) return undefined;
      // Prototypes before every epoch, from the model as it is now.
      const feats = run.encode(run.trainRows);
      for (const [m, f] of feats) {
        const d = f.shape[1]!;
        const next = blendPrototypes(classMeans(f.dataSync() as Float32Array, d, labels, run.numClasses), previous.get(m) ?? null, o.momentum);
        previous.set(m, next);
        protos.get(m)?.dispose();
        protos.set(m, tf.keep(tf.tensor2d(next, [run.numClasses, d])));
      }
      tf.dispose([...feats.values()]);
      return undefined;
    },
    extraLoss(step, info) {
      if (info.epoch > lastModulated) return null;
      const sims = new Map([...step.features].map(([m, phi]) => [m, negDistances(phi, protos.get(m)!)]));
      const scores = tf.stack([...sims.values()].map((s) => tf.sum(tf.mul(tf.softmax(s), step.oneHot)))).dataSync();
      const { ratio, coefficient } = pmrCoefficients(Object.fromEntries([...sims.keys()].map((m, i) => [m, scores[i]!])), o.alpha);
      means.add(Object.fromEntries([...sims.keys()].flatMap((m) => [[`ratio_${m}`, ratio[m]!], [`coef_${m}`, coefficient[m]!]])));
      const terms = [...sims].filter(([m]) => coefficient[m]! > 0).map(([m, s]) => tf.mul(meanCrossEntropy(s, step.oneHot), coefficient[m]!) as tf.Scalar);
      return terms.length === 0 ? null : (tf.addN(terms) as tf.Scalar);
    },
    afterEpoch: async () => means.flush(run.report),
  };
}

export const pmr: MethodDefinition = {
  name: 'pmr',
  summary: 'naive fusion plus a prototype loss on the modality that is behind, towards its class prototypes (CVPR 2023)',
  cost: 'naive plus distances to C prototypes per step, and one encoding pass over the training rows per epoch',
  inDefaults: false,
  options,
  create: (_p, raw) => {
    const o = options.parse(raw);
    const protos = new Map<string, tf.Tensor>();
    const previous = new Map<string, number[]>();
    return {
      ...onFusedLoss('pmr'),
      stepHooks: (_model, run) => pmrHooks(o, protos, previous, run),
      saveState: () => Object.fromEntries(previous),
      loadState: (state) => {
        previous.clear();
        for (const [m, p] of Object.entries(state as Record<string, number[]>)) previous.set(m, p);
      },
      dispose: () => {
        tf.dispose([...protos.values()]);
        protos.clear();
      },
    };
  },
};

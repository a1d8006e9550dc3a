/**
 * Learnable loss weights by homoscedastic uncertainty (Kendall, Gal and Cipolla, "Multi-Task Learning
 * Using Uncertainty to Weigh Losses for Scene Geometry and Semantics", CVPR 2018): the baseline the
 * paper calls "learnable loss weights" (section 3; it reports that they end up like naive training).
 * Every uni-modal head plus the fused head; each head i has a learnable s_i = log sigma_i^2, and the
 * loss is   sum_i exp(-s_i) L_i + s_i / 2,   Kendall et al.'s classification form (1/sigma^2) L + log sigma.
 *
 * [choice] s_i starts at 0 (every weight 1) and is stepped by the run's optimizer with the model,
 * weight decay included, as when it is one more parameter of a PyTorch model.
 */
import * as tf from '@tensorflow/tfjs-core';
import { EpochMeans, everyHead, never } from './common.js';
import type { MethodDefinition } from './definition.js';

export const uncertainty: MethodDefinition = {
  name: 'uncertainty',
  summary: 'every head, losses weighted by learnable uncertainties: sum exp(-s_i) L_i + s_i/2 (Kendall et al., CVPR 2018)',
  cost: 'as aux, plus k+1 scalars',
  inDefaults: false,
  create: () => {
    let logVars = new Map<string, tf.Variable>();
    const free = (): void => {
      for (const v of logVars.values()) v.dispose();
      logVars = new Map();
    };
    return {
      name: 'uncertainty',
      heads: everyHead('uncertainty'),
      mode: () => 'all',
      initialWeights: (heads) => {
        free();
        // Unnamed: tfjs names them uniquely, so runs may overlap in one process. Checkpoints keep their
        // optimizer slots by position after the model's (RunParts.methodVariables).
        logVars = new Map(heads.map((h) => [h, tf.tidy(() => tf.variable(tf.scalar(0), true))]));
        return Object.fromEntries(heads.map((h) => [h, 1]));
      },
      beforeEpoch: never,
      stepHooks: (_model, run) => {
        const means = new EpochMeans();
        return {
          variables: [...logVars.values()],
          combineLosses: (losses) =>
            tf.addN([...losses].map(([h, l]) => tf.add(tf.mul(tf.exp(tf.neg(logVars.get(h)!)), l), tf.mul(logVars.get(h)!, 0.5)))) as tf.Scalar,
          afterStep: () => means.add(Object.fromEntries([...logVars].map(([h, v]) => [`weight_${h}`, Math.exp(-v.dataSync()[0]!)]))),
          afterEpoch: async () => means.flush(run.report),
        };
      },
      saveState: () => Object.fromEntries([...logVars].map(([h, v]) => [h, v.dataSync()[0]!])),
      loadState: (state) => {
        for (const [h, s] of Object.entries(state as Record<string, number>)) logVars.get(h)?.assign(tf.scalar(s));
      },
      dispose: free,
    };
  },
};

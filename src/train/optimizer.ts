/** The configured optimizer, with L2 weight decay added to the gradients (coupled, as in PyTorch's SGD and Adam). */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../config/schema.js';

export interface Optimizer {
  /** Applies gradients (keyed by variable name) plus weight decay, then disposes them. */
  apply(grads: tf.NamedTensorMap, variables: tf.Variable[]): void;
  dispose(): void;
}

export function makeOptimizer(cfg: OptimizerConfig): Optimizer {
  const inner = cfg.kind === 'adam' ? tf.train.adam(cfg.lr) : tf.train.momentum(cfg.lr, cfg.momentum);
  return {
    apply(grads, variables) {
      // tfjs optimizers keep their slots by position in the gradient list, not by name: the list must
      // name every variable in the same order at every step, or state goes to the wrong variable.
      // A variable without a gradient (a head of weight 0) gets zeros, as PyTorch's weighted loss would.
      const full = tf.tidy(() =>
        variables.map((v) => {
          const g = grads[v.name] ?? tf.zerosLike(v);
          return { name: v.name, tensor: cfg.weightDecay > 0 ? tf.add(g, tf.mul(v, cfg.weightDecay)) : tf.clone(g) };
        }),
      );
      tf.dispose(grads);
      inner.applyGradients(full);
      tf.dispose(full.map((g) => g.tensor));
    },
    dispose() {
      inner.dispose();
      // tfjs 4.22's MomentumOptimizer.dispose skips its parent's: the learning-rate scalar `c` leaks.
      if (cfg.kind === 'sgd') (inner as unknown as { c?: tf.Tensor }).c?.dispose();
    },
  };
}

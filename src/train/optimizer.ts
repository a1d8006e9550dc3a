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
      if (cfg.weightDecay > 0) {
        const decayed = tf.tidy(() => {
          const out: tf.NamedTensorMap = {};
          for (const v of variables) {
            const g = grads[v.name];
            if (g !== undefined) out[v.name] = tf.add(g, tf.mul(v, cfg.weightDecay));
          }
          return out;
        });
        tf.dispose(grads);
        grads = decayed;
      }
      inner.applyGradients(grads as never);
      tf.dispose(grads);
    },
    dispose() {
      inner.dispose();
      // tfjs 4.22's MomentumOptimizer.dispose skips its parent's: the learning-rate scalar `c` leaks.
      if (cfg.kind === 'sgd') (inner as unknown as { c?: tf.Tensor }).c?.dispose();
    },
  };
}

/** The configured optimizer, with L2 weight decay added to the gradients (coupled, as in PyTorch's SGD and Adam). */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../config/schema.js';
import { FusedOptimizer, NATIVE_BACKEND } from '../engine/native/index.js';

export interface Optimizer {
  /** Applies gradients (keyed by variable name) plus weight decay, then disposes them. */
  apply(grads: tf.NamedTensorMap, variables: tf.Variable[]): void;
  dispose(): void;
}

/**
 * On the native backend (active when this is called), one fused native update per variable
 * (see src/engine/native/fused-optimizer.ts): the same arithmetic as the tfjs optimizers
 * below, without their dozen kernel calls per variable. Elsewhere tfjs' Adam or momentum.
 */
export function makeOptimizer(cfg: OptimizerConfig): Optimizer {
  if (tf.getBackend() === NATIVE_BACKEND) return fusedOptimizer(cfg);
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

/** The fused native optimizer: state by variable name; a variable without a gradient steps with zeros, as above. */
function fusedOptimizer(cfg: OptimizerConfig): Optimizer {
  const inner = new FusedOptimizer({ kind: cfg.kind, lr: cfg.lr, momentum: cfg.momentum, weightDecay: cfg.weightDecay });
  return {
    apply(grads, variables) {
      try {
        inner.apply(grads, variables);
      } finally {
        tf.dispose(grads);
      }
    },
    dispose() {
      inner.dispose();
    },
  };
}

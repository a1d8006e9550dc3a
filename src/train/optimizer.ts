/** The configured optimizer, with L2 weight decay added to the gradients (coupled, as in PyTorch's SGD and Adam). */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../config/schema.js';
import { FusedOptimizer, NATIVE_BACKEND } from '../engine/native/index.js';

export interface Optimizer {
  /** Applies gradients (keyed by variable name) plus weight decay, then disposes them. */
  apply(grads: tf.NamedTensorMap, variables: tf.Variable[]): void;
  /** Its state between steps (slots of `variables`, in their order, and step counters), for a checkpoint. */
  saveState(variables: tf.Variable[]): Promise<OptimizerState>;
  /** Continues from `saveState`'s value, taken on the same kind of optimizer over the same variables. */
  loadState(state: OptimizerState, variables: tf.Variable[]): Promise<void>;
  dispose(): void;
  /** The native fused optimizer behind it, which a whole native training step drives itself; null elsewhere. */
  readonly fused: FusedOptimizer | null;
}

export interface SavedTensor {
  shape: number[];
  values: Float32Array;
}

/** An optimizer's state as plain data; what the counters mean depends on the optimizer that saved it. */
export interface OptimizerState {
  scalars: number[];
  slots: SavedTensor[];
}

/** tfjs' Adam keeps its bias-correction powers apart from getWeights; setWeights recomputes them with pow, which may differ in the last bit. */
type AdamPowers = { accBeta1: tf.Variable; accBeta2: tf.Variable };

/**
 * On the native backend (active when this is called), one fused native update per variable
 * (see src/engine/native/fused-optimizer.ts): the same arithmetic as the tfjs optimizers
 * below, without their dozen kernel calls per variable. Elsewhere tfjs' Adam or momentum.
 */
export function makeOptimizer(cfg: OptimizerConfig): Optimizer {
  if (tf.getBackend() === NATIVE_BACKEND) return fusedOptimizer(cfg);
  const inner = cfg.kind === 'adam' ? tf.train.adam(cfg.lr) : tf.train.momentum(cfg.lr, cfg.momentum);
  return {
    fused: null,
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
    async saveState() {
      const [iterations, ...slots] = await inner.getWeights();
      const scalars = [iterations!.tensor.dataSync()[0]!];
      iterations!.tensor.dispose(); // a fresh scalar of getWeights; the slots are the optimizer's own
      if (cfg.kind === 'adam') {
        const powers = inner as unknown as AdamPowers;
        scalars.push(powers.accBeta1.dataSync()[0]!, powers.accBeta2.dataSync()[0]!);
      }
      return { scalars, slots: slots.map((w) => ({ shape: w.tensor.shape, values: w.tensor.dataSync() as Float32Array })) };
    },
    async loadState(state) {
      const tensors = state.slots.map((t, i) => ({ name: `slot${i}`, tensor: tf.tensor(t.values, t.shape, 'float32') }));
      const iterations = tf.scalar(state.scalars[0]!, 'int32');
      await inner.setWeights([{ name: 'iter', tensor: iterations }, ...tensors]);
      tf.dispose([iterations, ...tensors.map((t) => t.tensor)]);
      if (cfg.kind === 'adam') {
        const powers = inner as unknown as AdamPowers;
        powers.accBeta1.assign(tf.scalar(state.scalars[1]!));
        powers.accBeta2.assign(tf.scalar(state.scalars[2]!));
      }
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
    fused: inner,
    apply(grads, variables) {
      try {
        inner.apply(grads, variables);
      } finally {
        tf.dispose(grads);
      }
    },
    async saveState(variables) {
      const saved = inner.saveState();
      return { scalars: [saved.accBeta1, saved.accBeta2], slots: variables.flatMap((v) => saved.slots[v.name] ?? []) };
    },
    async loadState(state, variables) {
      // Each variable has one slot (momentum) or two (Adam), in the order of `variables`.
      const perVariable = state.slots.length / variables.length;
      const slots = Object.fromEntries(variables.map((v, i) => [v.name, state.slots.slice(i * perVariable, (i + 1) * perVariable)]));
      inner.loadState({ accBeta1: state.scalars[0]!, accBeta2: state.scalars[1]!, slots });
    },
    dispose() {
      inner.dispose();
    },
  };
}

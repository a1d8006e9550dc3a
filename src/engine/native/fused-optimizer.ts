/**
 * Adam and momentum SGD as one native call per variable (native/src/ops_optim.cc), where
 * tfjs' optimizers run about fourteen (Adam) or four (momentum) element-wise kernels, each
 * allocating a tensor. The arithmetic is tfjs-core 4.22's AdamOptimizer and (non-Nesterov)
 * MomentumOptimizer, in float32, with coupled L2 weight decay folded in (g + wd * w):
 *   Adam:     m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *             w = w - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 *   momentum: a = momentum * a + g;  w = w - lr * a
 * b1^t and b2^t are float32 running products, as tfjs' accBeta variables are.
 *
 * In place, and when that is safe: the optimizer's own state (m, v, a) always is, being
 * tensors that nothing else sees. A variable is updated in place only where its memory has
 * no other user: tfjs' reference count of its data id is 1 (no Identity, same-shape
 * Reshape or same-dtype Cast shares it, nor the tensor it was made from or last assigned),
 * and the addon finds neither another holder of the libtorch tensor nor a view of its
 * memory under another id. Otherwise the new values go to fresh memory, assigned to the
 * variable as tfjs' optimizers do, and whatever shared the old values keeps them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { activeNativeBackend, type NativeBackend } from './backend.js';
import { NONE } from './codes.js';

export interface FusedOptimizerConfig {
  kind: 'adam' | 'sgd';
  lr: number;
  /** Momentum of 'sgd'. */
  momentum: number;
  /** Coupled L2 weight decay: the gradient becomes g + weightDecay * w. */
  weightDecay: number;
  /** Adam's betas and epsilon; defaults: tfjs' (0.9, 0.999, the backend's epsilon, 1e-7). */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** What a FusedOptimizer carries from step to step. */
export interface FusedOptimizerState {
  accBeta1: number;
  accBeta2: number;
  /** Per variable name: m and v (Adam) or the accumulation (momentum). */
  slots: Record<string, { shape: number[]; values: Float32Array }[]>;
}

export class FusedOptimizer {
  /** Per variable name: [m, v] (Adam) or [accumulation] (momentum). */
  private readonly state = new Map<string, tf.Tensor[]>();
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  /** beta1^t and beta2^t for the next step, rounded to float32 at each product as in tfjs. */
  private accBeta1: number;
  private accBeta2: number;

  constructor(private readonly cfg: FusedOptimizerConfig) {
    this.beta1 = cfg.beta1 ?? 0.9;
    this.beta2 = cfg.beta2 ?? 0.999;
    this.epsilon = cfg.epsilon ?? nativeBackend().epsilon();
    this.accBeta1 = Math.fround(this.beta1);
    this.accBeta2 = Math.fround(this.beta2);
  }

  /**
   * One step over `variables` (state kept by variable name). A variable missing from `grads`
   * steps with a zero gradient (plus weight decay): its moments decay, as in PyTorch with a
   * zero-weighted loss. Does not dispose `grads`.
   */
  apply(grads: tf.NamedTensorMap, variables: readonly tf.Variable[]): void {
    const b = nativeBackend();
    const { kind, lr, weightDecay } = this.cfg;
    const [c1, c2] = this.biasCorrections();
    for (const v of variables) {
      const g = grads[v.name];
      if (g !== undefined && (g.dtype !== 'float32' || g.size !== v.size)) throw new Error(`fused optimizer: gradient of ${v.name} does not match it`);
      const state = this.slotsOf(v);
      // b.id moves the data to native first, so the count read next is native's own.
      const vid = b.id(v);
      const copy = b.refCount(v.dataId) > 1;
      const gid = g === undefined ? NONE : b.id(g);
      const id =
        kind === 'adam'
          ? b.addon.adamStep(vid, gid, b.id(state[0]!), b.id(state[1]!), lr, this.beta1, this.beta2, this.epsilon, weightDecay, c1, c2, copy)
          : b.addon.momentumStep(vid, gid, b.id(state[0]!), lr, this.cfg.momentum, weightDecay, copy);
      if (id !== NONE) {
        const fresh = tf.engine().makeTensorFromTensorInfo(b.output(id), b);
        v.assign(fresh);
        fresh.dispose();
      }
    }
    this.stepped();
  }

  /** The arguments after the plan length of the addon's whole-step call (mlpStep) for this step. */
  stepArguments(): [lr: number, momentum: number, weightDecay: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number] {
    const { lr, momentum, weightDecay } = this.cfg;
    return [lr, momentum, weightDecay, this.beta1, this.beta2, this.epsilon, ...this.biasCorrections()];
  }

  get kind(): 'adam' | 'sgd' {
    return this.cfg.kind;
  }

  /**
   * The state of `v` ([m, v] for Adam, [accumulation] for momentum), made on first use: for a step
   * that updates it natively (the addon's mlpStep) instead of through `apply`.
   */
  slotsOf(v: tf.Variable): tf.Tensor[] {
    if (v.dtype !== 'float32') throw new Error(`fused optimizer: variable ${v.name} is ${v.dtype}, not float32`);
    return this.stateOf(v, this.cfg.kind === 'adam' ? 2 : 1);
  }

  /** Counts one step taken (by `apply` or natively): Adam's running products advance. */
  stepped(): void {
    if (this.cfg.kind === 'adam') {
      this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(this.beta1));
      this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(this.beta2));
    }
  }

  private biasCorrections(): [number, number] {
    return [Math.fround(1 - this.accBeta1), Math.fround(1 - this.accBeta2)];
  }

  /** The running products and every variable's slots (by name), read back for a checkpoint. */
  saveState(): FusedOptimizerState {
    const slots: FusedOptimizerState['slots'] = {};
    for (const [name, tensors] of this.state) slots[name] = tensors.map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
    return { accBeta1: this.accBeta1, accBeta2: this.accBeta2, slots };
  }

  /** Continues from `saveState`'s value: the same slots, so the next step is the one the saved optimizer would take. */
  loadState(saved: FusedOptimizerState): void {
    this.dispose();
    this.accBeta1 = saved.accBeta1;
    this.accBeta2 = saved.accBeta2;
    for (const [name, tensors] of Object.entries(saved.slots)) {
      // Fresh tensors: nothing else holds their memory, so the fused steps may update them in place.
      this.state.set(name, tensors.map((t) => tf.keep(tf.tensor(t.values, t.shape, 'float32'))));
    }
  }

  dispose(): void {
    for (const tensors of this.state.values()) tf.dispose(tensors);
    this.state.clear();
  }

  private stateOf(v: tf.Variable, count: number): tf.Tensor[] {
    let state = this.state.get(v.name);
    if (state !== undefined && !tf.util.arraysEqual(state[0]!.shape, v.shape)) {
      throw new Error(`fused optimizer: variable ${v.name} changed shape`);
    }
    if (state === undefined) {
      // Kept: apply usually runs inside the training step's tidy.
      state = Array.from({ length: count }, () => tf.keep(tf.zeros(v.shape)));
      this.state.set(v.name, state);
    }
    return state;
  }
}

function nativeBackend(): NativeBackend {
  return activeNativeBackend('fused optimizer');
}

/**
 * A tiny model for calling the addon's mlpStep and mlpEval directly: one encoder (2 -> 2, ReLU) and
 * one head on it (2 -> 2), two rows of data, momentum state, plus spare tensors of other shapes and
 * dtypes for bad plans. `words()` writes the plan by hand, as native/src/mlp_step.cc lays it out.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NativeBackend } from '../../../src/engine/native/index.js';

const VALUES = {
  x: [0.5, -1, 1.5, 0.25],
  labels: [1, 0, 0, 1],
  w1: [0.3, -0.2, 0.8, 0.5],
  b1: [0.1, 0.05],
  w2: [0.7, -0.4, -0.3, 0.9],
  b2: [0.02, -0.01],
};

export interface Fixture {
  values: Record<keyof typeof VALUES, number[]>;
  rows: number[];
  ids: Record<'x' | 'labels' | 'w1' | 'b1' | 'w2' | 'b2' | 'w3' | 'w23' | 'b3' | 'int', number>;
  /**
   * Where things are in words(): the rows, the encoder's kernel, its dropout rate, the head (its
   * source), the head's kernel, its coefficient, the first state id.
   */
  at: { rows: number; encoderKernel: number; encoderDropout: number; head: number; headKernel: number; coef: number; states: number };
  words(o?: { optimizer?: boolean }): number[];
  write(words: number[]): number;
  /** The current values of w1, b1, w2, b2. */
  weights(): number[][];
  dispose(): void;
}

export function fixture(b: NativeBackend): Fixture {
  const t = {
    x: tf.tensor2d(VALUES.x, [2, 2]),
    labels: tf.tensor2d(VALUES.labels, [2, 2]),
    w1: tf.tensor2d(VALUES.w1, [2, 2]),
    b1: tf.tensor1d(VALUES.b1),
    w2: tf.tensor2d(VALUES.w2, [2, 2]),
    b2: tf.tensor1d(VALUES.b2),
    w3: tf.zeros([3, 2]),
    w23: tf.zeros([2, 3]),
    b3: tf.zeros([3]),
    int: tf.zeros([2, 2], 'int32'),
  };
  const states = [tf.zeros([2, 2]), tf.zeros([2]), tf.zeros([2, 2]), tf.zeros([2])];
  const ids = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, b.id(v)])) as Fixture['ids'];
  const rows = [0, 1];
  return {
    values: VALUES,
    rows,
    ids,
    at: { rows: 25, encoderKernel: 9, encoderDropout: 12, head: 14, headKernel: 18, coef: 23, states: 28 },
    words({ optimizer = true } = {}) {
      // Version 2; a chain: input dropout (rate, seed), L, then per layer kernel, bias, act, dropout (rate, seed).
      const plan = [2, 1, 1, ids.labels, rows.length, ids.x, 0, 0, 1, ids.w1, ids.b1, 1, 0, 0, 0, 0, 0, 1, ids.w2, ids.b2, 0, 0, 0, 1, 1, ...rows];
      return optimizer ? [...plan, 0, ...states.flatMap((s) => [b.id(s), 0])] : plan;
    },
    write(words) {
      b.io.set(words);
      return words.length;
    },
    weights() {
      return [t.w1, t.b1, t.w2, t.b2].map((w) => Array.from(w.dataSync()));
    },
    dispose() {
      tf.dispose([...Object.values(t), ...states]);
    },
  };
}

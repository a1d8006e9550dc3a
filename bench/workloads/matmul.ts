/** matmul1024: one fp32 1024x1024 by 1024x1024 product (tf.matMul), in GFLOP/s (2n^3 FLOPs each). */
import * as tf from '@tensorflow/tfjs-core';
import { timeRate } from '../timing.js';
import type { Workload } from './types.js';

const N = 1024;

export const matmul1024: Workload = {
  name: 'matmul1024',
  describe: 'C = A B, fp32, 1024x1024x1024, inputs resident; GFLOP/s',
  async measure(opts) {
    const a = tf.randomNormal([N, N], 0, 1, 'float32', 1);
    const b = tf.randomNormal([N, N], 0, 1, 'float32', 2);
    try {
      return await timeRate(
        (n) => {
          for (let i = 0; i < n; i++) {
            const c = tf.matMul(a, b);
            // Reading one element forces the product on any backend, at negligible cost.
            tf.tidy(() => tf.slice(c, [0, 0], [1, 1]).dataSync());
            c.dispose();
          }
        },
        opts,
        'GFLOP/s',
        (2 * N ** 3) / 1e9,
      );
    } finally {
      tf.dispose([a, b]);
    }
  },
};

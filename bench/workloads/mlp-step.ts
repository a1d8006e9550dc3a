/**
 * mlp_step: the late-fusion MLP of issue 3. Modality A 512-d, B 128-d; each encoder Dense 512
 * ReLU, Dense 256 ReLU; heads A, B (Dense 10 on their encoder's 256 features) and fused (Dense 10
 * on the 512-d concatenation); batch 128; loss = sum of the three mean cross-entropies; Adam.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { meanCrossEntropy } from '../../src/train/losses.js';
import { randomOneHot, stack, timeSteps } from './train-step.js';
import type { Workload } from './types.js';

const BATCH = 128;
const CLASSES = 10;

const dense = (units: number, relu: boolean): tfl.layers.Layer => tfl.layers.dense({ units, ...(relu ? { activation: 'relu' as const } : {}) });

export const mlpStep: Workload = {
  name: 'mlp_step',
  describe: 'late-fusion MLP (A 512-d, B 128-d; encoders 512-256 ReLU; 3 heads of 10), batch 128, Adam; steps/s',
  async measure(opts) {
    const encA = [dense(512, true), dense(256, true)];
    const encB = [dense(512, true), dense(256, true)];
    const headA = dense(CLASSES, false);
    const headB = dense(CLASSES, false);
    const headF = dense(CLASSES, false);
    const all = [...encA, ...encB, headA, headB, headF];
    const xa = tf.randomNormal([BATCH, 512], 0, 1, 'float32', 3);
    const xb = tf.randomNormal([BATCH, 128], 0, 1, 'float32', 4);
    const y = randomOneHot(BATCH, CLASSES, 5);
    const loss = (): tf.Scalar => {
      const fa = stack(encA, xa);
      const fb = stack(encB, xb);
      const za = headA.apply(fa) as tf.Tensor;
      const zb = headB.apply(fb) as tf.Tensor;
      const zf = headF.apply(tf.concat([fa, fb], 1)) as tf.Tensor;
      return tf.addN([meanCrossEntropy(za, y), meanCrossEntropy(zb, y), meanCrossEntropy(zf, y)]) as tf.Scalar;
    };
    const variables = (): tf.Variable[] => all.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
    return timeSteps(loss, variables, [xa, xb, y], opts);
  },
};

/**
 * conv_step: input 28x28x1 (tfjs is channels-last), conv 3x3x32 ReLU, conv 3x3x64 ReLU (both
 * 'valid', as PyTorch's default padding=0), max-pool 2, flatten (12*12*64), Dense 128 ReLU,
 * Dense 10; batch 64; mean cross-entropy; Adam.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { meanCrossEntropy } from '../../src/train/losses.js';
import { randomOneHot, stack, timeSteps } from './train-step.js';
import type { Workload } from './types.js';

const BATCH = 64;

export const convStep: Workload = {
  name: 'conv_step',
  describe: 'conv 3x3x32 ReLU, conv 3x3x64 ReLU (valid), max-pool 2, Dense 128 ReLU, Dense 10 on 28x28x1, batch 64, Adam; steps/s',
  async measure(opts) {
    const layers = [
      tfl.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'valid', activation: 'relu', inputShape: [28, 28, 1] }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'valid', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dense({ units: 10 }),
    ];
    const x = tf.randomNormal([BATCH, 28, 28, 1], 0, 1, 'float32', 6);
    const y = randomOneHot(BATCH, 10, 7);
    const loss = (): tf.Scalar => meanCrossEntropy(stack(layers, x), y);
    const variables = (): tf.Variable[] => layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
    return timeSteps(loss, variables, [x, y], opts);
  },
};

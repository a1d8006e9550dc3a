/**
 * Two defects a review of the native backend found after issue 12's fixes: slice of a tensor that
 * still lives on another backend read that tensor's shape as its begin (moving the data wrote the
 * shape into the io buffer), and unstack built every output before finding they could not fit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../src/engine/index.js';
import { nativeLiveTensors } from '../../../src/engine/native/index.js';
import { nativeSkip } from './helpers.js';

const skip = nativeSkip();

test('slice of a tensor made on cpu, run on native, equals cpu', { skip }, async () => {
  await tf.setBackend('cpu');
  const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const v = tf.tensor1d([1, 2, 3, 4, 5, 6]);
  const expected = [tf.slice(x, [0, 1], [1, 2]).arraySync(), tf.slice(v, [1], [2]).arraySync()];
  await initEngine({ backend: 'native' });
  assert.deepEqual([tf.slice(x, [0, 1], [1, 2]).arraySync(), tf.slice(v, [1], [2]).arraySync()], expected);
  tf.dispose([x, v]);
});

test('unstack into more outputs than fit is refused before they are built', { skip }, async () => {
  await initEngine({ backend: 'native' });
  const x = tf.zeros([4_000_000]);
  const live = nativeLiveTensors();
  const peakBefore = process.resourceUsage().maxRSS;
  assert.throws(() => tf.unstack(x), /io buffer too small for the results \(4000000 outputs\)/);
  // Building the 4e6 outputs first took about 1 GB at peak.
  const grownMiB = (process.resourceUsage().maxRSS - peakBefore) / 1024;
  assert.ok(grownMiB < 200, `peak memory grew ${grownMiB.toFixed(0)} MiB`);
  assert.equal(nativeLiveTensors(), live);
  x.dispose();
});

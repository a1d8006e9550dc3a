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

test('float to int32 casts convert as JavaScript does (NaN and Infinity to 0, wrapping), as on cpu', { skip }, async () => {
  // A C++ conversion of these is undefined behaviour; it gave INT_MIN for all three.
  const values = [NaN, Infinity, -Infinity, 1e10, -1e10, 2147483648, -2.5, 3.75, 0];
  await tf.setBackend('cpu');
  const expected = tf.cast(tf.tensor1d(values), 'int32').arraySync();
  await initEngine({ backend: 'native' });
  assert.deepEqual(expected, [0, 0, 0, 1410065408, -1410065408, -2147483648, -2, 3, 0]);
  assert.deepEqual(tf.cast(tf.tensor1d(values), 'int32').arraySync(), expected);
});

test('integer modulo by 0 is 0, as on cpu (ATen threw ZeroDivisionError)', { skip }, async () => {
  await initEngine({ backend: 'native' });
  const a = tf.tensor1d([7, -7, 7, -7, 0], 'int32');
  const b = tf.tensor1d([0, 0, -3, 3, 0], 'int32');
  assert.deepEqual(tf.mod(a, b).arraySync(), [0, 0, -2, 2, 0]);
  tf.dispose([a, b]);
});

test('concat of more tensors than the io buffer holds: one error that says so, nothing leaked', { skip }, async () => {
  await initEngine({ backend: 'native' });
  const xs = Array.from({ length: 70_000 }, () => tf.ones([1]));
  const live = nativeLiveTensors();
  assert.throws(() => tf.concat(xs), /70000 ids or sizes in one call.*at most 65536/);
  assert.equal(nativeLiveTensors(), live);
  tf.dispose(xs);
});

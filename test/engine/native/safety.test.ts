/**
 * The native backend never reads or writes memory it does not own (issue 12): products
 * with mismatched inner dimensions, multi-output results that do not fit the io buffer,
 * sizes beyond int32, stale ids and dtypes, each checked on native against cpu and,
 * where the check lives in the addon, by calling the addon directly (no TypeScript
 * kernel in between to do the checking for it).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../src/engine/index.js';
import { NONE } from '../../../src/engine/native/codes.js';
import { nativeLiveTensors, type NativeBackend } from '../../../src/engine/native/index.js';
import { nativeSkip } from './helpers.js';

const skip = nativeSkip();

async function native(): Promise<NativeBackend> {
  await initEngine({ backend: 'native' });
  return tf.backend() as NativeBackend;
}

/** `fn` throws on cpu and on native, and native keeps no tensor it made on the way. */
async function throwsOnBoth(fn: () => unknown, pattern: RegExp): Promise<void> {
  await tf.setBackend('cpu');
  assert.throws(() => tf.tidy(() => fn() as tf.Tensor), 'cpu throws');
  await initEngine({ backend: 'native' });
  const live = nativeLiveTensors();
  const tensors = tf.memory().numTensors;
  assert.throws(() => tf.tidy(() => fn() as tf.Tensor), pattern);
  assert.equal(nativeLiveTensors(), live, 'native tensors left behind');
  assert.equal(tf.memory().numTensors, tensors, 'tfjs tensors left behind');
}

test('matMul with mismatched inner dimensions throws on native as on cpu (no read past b)', { skip }, async () => {
  await throwsOnBoth(() => tf.matMul(tf.ones([2, 3]), tf.ones([2, 4])), /inner dimensions/);
  await throwsOnBoth(() => tf.matMul(tf.ones([2, 3]), tf.ones([4, 2]), false, true), /inner dimensions/);
  await throwsOnBoth(() => tf.matMul(tf.ones([2, 2, 3]), tf.ones([2, 2, 4])), /inner dimensions/);
});

test('matMul [2, 5e7] @ [2, 4] throws instead of reading 400 MB past b', { skip }, async () => {
  await native();
  const live = nativeLiveTensors();
  assert.throws(() => tf.tidy(() => tf.matMul(tf.zeros([2, 5e7]), tf.ones([2, 4]))), /inner dimensions/);
  assert.equal(nativeLiveTensors(), live);
});

test('the addon itself refuses a mismatched product, whoever calls it', { skip }, async () => {
  const b = await native();
  const x = tf.ones([2, 3]);
  const y = tf.ones([2, 4]);
  for (const engine of ['dnnl', 'aten'] as const) {
    b.addon.setGemm(engine);
    assert.throws(() => b.addon.matmul(b.id(x), b.id(y), false, false, NONE, 0, 0, NONE), /inner dimensions/);
  }
  b.addon.setGemm('dnnl');
  tf.dispose([x, y]);
});

test('a multi-output result too large for the io buffer leaves no native tensor behind', { skip }, async () => {
  await native();
  const x = tf.zeros([20000, 3]);
  const live = nativeLiveTensors();
  assert.throws(() => tf.unstack(x), /io buffer too small/);
  assert.equal(nativeLiveTensors(), live, 'outputs stored before the failure leaked');
  x.dispose();
});

test('tf.unstack of 2,000 rows works on native as on cpu', { skip }, async () => {
  await native();
  const rows = tf.tidy(() => tf.unstack(tf.reshape(tf.range(0, 6000), [2000, 3])).map((r) => tf.keep(r)));
  assert.equal(rows.length, 2000);
  assert.deepEqual(Array.from(rows[1999]!.dataSync()), [5997, 5998, 5999]);
  tf.dispose(rows);
});

test('sizes beyond int32 throw rather than wrap: fill([2**32 + 1]) is an error on native as on cpu', { skip }, async () => {
  await throwsOnBoth(() => tf.fill([2 ** 32 + 1], 1), /out of range|not an int32|2\^31/);
});

test('the addon refuses ids and integers out of int32 range instead of truncating them', { skip }, async () => {
  const b = await native();
  const x = tf.ones([2]);
  const id = b.id(x);
  assert.throws(() => b.addon.free(id + 2 ** 32), /must be an int32/);
  assert.throws(() => b.addon.unary(0, id + 0.5, 0, 0), /must be an int32/);
  b.io.set([2 ** 31]);
  assert.throws(() => b.addon.fill(1, 0, 0), /not an int32/);
  b.io.set([3, -1]);
  assert.throws(() => b.addon.fill(2, 0, 0), /out of range/);
  assert.deepEqual(Array.from(x.dataSync()), [1, 1], 'the tensor behind the truncated id is untouched');
  x.dispose();
});

test('clipByValue keeps int32 as int32, as on cpu', { skip }, async () => {
  await native();
  const y = tf.clipByValue(tf.tensor([-5, 0, 7], [3], 'int32'), -1.5, 2.5);
  assert.equal(y.dtype, 'int32');
  assert.deepEqual(Array.from(y.dataSync()), [-1, 0, 2]);
  y.dispose();
});

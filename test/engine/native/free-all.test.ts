/**
 * freeAll (the backend's dispose) retires every id it frees: an id still held somewhere
 * fails afterwards instead of naming a tensor made later. Its own file: freeAll empties
 * the process' native table.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../src/engine/index.js';
import type { NativeBackend } from '../../../src/engine/native/index.js';
import { nativeSkip } from './helpers.js';

const skip = nativeSkip();

test('ids freed by freeAll are never handed out again', { skip }, async () => {
  await initEngine({ backend: 'native' });
  const { addon } = tf.backend() as NativeBackend;
  const stale = addon.write(Float32Array.from([1, 2]), 0, 0 + (tf.backend() as NativeBackend).ints([2]));
  addon.freeAll();
  assert.equal(addon.liveCount(), 0);
  const fresh = addon.write(Float32Array.from([3, 4]), 0, (tf.backend() as NativeBackend).ints([2]));
  assert.notEqual(fresh, stale, 'a new tensor under the stale id');
  assert.throws(() => addon.read(stale), /does not exist/);
  assert.deepEqual(Array.from(addon.read(fresh)), [3, 4]);
  addon.free(fresh);
});

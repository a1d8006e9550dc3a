/**
 * initEngine / engineInfo, and whole training steps on wasm: they run, they match the
 * cpu backend, and they leak no tensors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { engineInfo, initEngine } from '../../src/engine/index.js';
import { WASM_KERNEL_NAMES } from '../../src/engine/wasm-kernels/index.js';
import { assertClose, input, seeded } from './backends.js';

test('initEngine: wasm with every replacement kernel, and idempotent', async () => {
  const info = await initEngine({ backend: 'wasm' });
  assert.equal(info.backend, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(info.threads, 1); // tfjs 4.22 runs wasm single-threaded in Node
  assert.deepEqual(info.kernelsPatched, [...WASM_KERNEL_NAMES]);
  assert.ok(info.kernelsPatched.includes('Conv2DBackpropFilter'));
  assert.equal(await initEngine({ backend: 'wasm' }), info, 'a repeated call returns the same info');
  assert.equal(engineInfo(), info);
});

test('initEngine: GBLEND_BACKEND decides for auto, and a different choice switches', async () => {
  const saved = process.env['GBLEND_BACKEND'];
  try {
    process.env['GBLEND_BACKEND'] = 'cpu';
    const cpu = await initEngine();
    assert.deepEqual(cpu, { backend: 'cpu', threads: 1, kernelsPatched: [] });
    assert.equal(tf.getBackend(), 'cpu');
    assert.equal((await initEngine({ backend: 'auto' })).backend, 'cpu');
    const wasm = await initEngine({ backend: 'wasm' });
    assert.equal(wasm.backend, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(engineInfo(), wasm);
  } finally {
    if (saved === undefined) delete process.env['GBLEND_BACKEND'];
    else process.env['GBLEND_BACKEND'] = saved;
  }
});

test('initEngine: a bad GBLEND_BACKEND rejects with a typed error', async () => {
  const saved = process.env['GBLEND_BACKEND'];
  try {
    process.env['GBLEND_BACKEND'] = 'gpu';
    await assert.rejects(initEngine(), (err: unknown) => (err as { code?: string }).code === 'ENGINE_BAD_BACKEND');
  } finally {
    if (saved === undefined) delete process.env['GBLEND_BACKEND'];
    else process.env['GBLEND_BACKEND'] = saved;
  }
});

/**
 * A small conv net built from core ops, with the pieces gblend trains with: conv2d
 * with bias and ReLU ('same', then stride 2 'valid'), max pooling, flatten, seeded
 * dropout, Dense + ReLU, softmax cross-entropy (tfjs and logSoftmax forms).
 */
const PARAM_SHAPES: Record<string, number[]> = {
  w1: [3, 3, 1, 4], b1: [4], w2: [3, 3, 4, 6], b2: [6], w3: [54, 16], b3: [16], w4: [16, 5], b4: [5],
};
const BATCH = 3;

function convNetLoss(p: Record<string, tf.Variable>, x: tf.Tensor4D, y: tf.Tensor2D): tf.Scalar {
  let h = tf.relu(tf.add(tf.conv2d(x, p['w1'] as tf.Tensor4D, 1, 'same'), p['b1']!)) as tf.Tensor4D;
  h = tf.fused.conv2d({ x: h, filter: p['w2'] as tf.Tensor4D, strides: 2, pad: 'valid', bias: p['b2']!, activation: 'relu' }) as tf.Tensor4D; // 13 -> 6
  h = tf.maxPool(h, 2, 2, 'valid'); // 6 -> 3
  let f: tf.Tensor2D = tf.reshape(h, [BATCH, 54]);
  f = tf.dropout(f, 0.25, undefined, 7) as tf.Tensor2D;
  f = tf.fused.matMul({ a: f, b: p['w3'] as tf.Tensor2D, bias: p['b3']!, activation: 'relu' }) as tf.Tensor2D;
  const logits = tf.add(tf.matMul(f, p['w4'] as tf.Tensor2D), p['b4']!);
  const viaLogSoftmax = tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1)));
  return tf.add(tf.losses.softmaxCrossEntropy(y, logits), viaLogSoftmax) as tf.Scalar;
}

/** Two Adam steps, then two momentum steps with weight decay added by hand; returns the parameters. */
async function train(backend: 'cpu' | 'wasm'): Promise<{ shape: number[]; values: Float32Array }[]> {
  await initEngine({ backend });
  const names = Object.keys(PARAM_SHAPES);
  const params: Record<string, tf.Variable> = {};
  names.forEach((n, i) => {
    const spec = input(PARAM_SHAPES[n]!, 100 + i);
    params[n] = tf.variable(tf.mul(tf.tensor(spec.values, spec.shape), 0.5), true, `${backend}_${n}`);
  });
  const x = tf.tensor4d(seeded(BATCH * 13 * 13, 1), [BATCH, 13, 13, 1]);
  const y = tf.oneHot(tf.tensor1d([0, 3, 4], 'int32'), 5) as tf.Tensor2D;
  const adam = tf.train.adam(0.01);
  const momentum = tf.train.momentum(0.05, 0.9);
  const vars = names.map((n) => params[n]!);
  for (let i = 0; i < 2; i++) adam.minimize(() => convNetLoss(params, x, y), false, vars);
  for (let i = 0; i < 2; i++) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => convNetLoss(params, x, y), vars);
      momentum.applyGradients(vars.map((v) => ({ name: v.name, tensor: tf.add(grads[v.name]!, tf.mul(v, 1e-3)) })));
    });
  }
  const out = vars.map((v) => ({ shape: v.shape, values: v.dataSync() as Float32Array }));
  tf.dispose([x, y, ...vars]);
  adam.dispose();
  momentum.dispose();
  return out;
}

test('a conv net trains on wasm (Adam, momentum + weight decay) to the same weights as on cpu', async () => {
  const want = await train('cpu');
  const got = await train('wasm');
  // 1e-4 relative to each parameter's largest value, after four optimizer steps.
  assertClose(got, want, 1e-4, 'parameters after training');
});

test('repeated wasm training steps leave no tensors or buffers behind', async () => {
  await initEngine({ backend: 'wasm' });
  const params: Record<string, tf.Variable> = {};
  Object.entries(PARAM_SHAPES).forEach(([n, shape], i) => {
    params[n] = tf.variable(tf.tensor(input(shape, 200 + i).values, shape), true, `leak_${n}`);
  });
  const x = tf.tensor4d(seeded(BATCH * 13 * 13, 2), [BATCH, 13, 13, 1]);
  const y = tf.oneHot(tf.tensor1d([1, 2, 0], 'int32'), 5) as tf.Tensor2D;
  const adam = tf.train.adam(0.01);
  const step = (): void => adam.minimize(() => convNetLoss(params, x, y), true)?.dispose();
  step(); // the first step creates Adam's moment variables
  const tensors = tf.memory().numTensors;
  const buffers = tf.backend().numDataIds();
  for (let i = 0; i < 5; i++) step();
  assert.equal(tf.memory().numTensors, tensors, 'tensors');
  assert.equal(tf.backend().numDataIds(), buffers, 'wasm buffers');
  tf.dispose([x, y, ...Object.values(params)]);
  adam.dispose();
});

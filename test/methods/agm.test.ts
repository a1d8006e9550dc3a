/**
 * AGM's update rule on a small model: the loss value is the fused cross-entropy; with alpha 0 the
 * gradient is naive fusion's; otherwise it is (c_a + c_b)/2 J_f(a,b)^T g + (c_a - c_b)/2 J_f(a,0)^T g
 * + (c_b - c_a)/2 J_f(0,b)^T g, each term computed here by its own backward pass.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { parseTrainConfig } from '../../src/config/load.js';
import { initEngine } from '../../src/engine/index.js';
import { createMethod } from '../../src/methods/registry.js';
import { MultiHeadModel } from '../../src/models/multihead-model.js';
import { meanCrossEntropy } from '../../src/train/losses.js';
import type { StepInfo } from '../../src/train/loop.js';
import { stepGradients } from '../../src/train/step-gradients.js';
import { hookContext } from '../helpers/hook-context.js';

before(async () => {
  await initEngine({ backend: 'cpu' });
});

const NAIVE = { weights: { fused: 1 }, mode: 'all' as const };
const info: StepInfo = { epoch: 0, step: 0, batch: new Int32Array(8), weights: NAIVE };

function setup() {
  const cfg = parseTrainConfig({ model: { mlpHidden: [5], fusedHidden: 4 } }).model;
  const model = new MultiHeadModel({
    encoders: [{ modality: 'a', inputShape: [3], kind: 'mlp' }, { modality: 'b', inputShape: [2], kind: 'mlp' }],
    heads: ['fused'], numClasses: 3, config: cfg,
  }, 3);
  const inputs = { a: tf.randomNormal([8, 3], 0, 1, 'float32', 4), b: tf.randomNormal([8, 2], 0, 1, 'float32', 5) };
  const oneHot = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3), 'float32');
  return { model, inputs, oneHot };
}

function agmStep(alpha: number) {
  const { model, inputs, oneHot } = setup();
  let coefs: Record<string, number> = {};
  const hooks = createMethod('agm', { agm: { alpha } }).stepHooks!(model, hookContext({ report: (s) => void (coefs = s) }));
  const combine = (losses: Map<string, tf.Scalar>, logits: Map<string, tf.Tensor>, features: Map<string, tf.Tensor>) =>
    hooks.combineLosses!(losses, { inputs, oneHot, logits, features, headGrads: null }, info);
  const got = stepGradients({ model, inputs, oneHot, weights: NAIVE, variables: model.variables(), nextSeed: () => 0, extras: { combine } });
  return { model, inputs, oneHot, got, hooks, coefs: () => coefs };
}

const flat = (g: tf.NamedTensorMap): number[] => Object.keys(g).sort().flatMap((k) => Array.from(g[k]!.dataSync()));
const assertClose = (a: number[], b: number[], what: string): void => {
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= 1e-6 + 1e-4 * Math.abs(b[i]!), `${what}[${i}]: ${v} vs ${b[i]}`));
};

test('alpha 0: the loss is the fused cross-entropy and the gradient is naive fusion’s', () => {
  const { model, inputs, oneHot, got } = agmStep(0);
  const naive = tf.variableGrads(() => meanCrossEntropy(model.forward(inputs, { training: true }).get('fused')!, oneHot), model.variables());
  assert.ok(Math.abs(got.value.dataSync()[0]! - naive.value.dataSync()[0]!) < 1e-6);
  assertClose(flat(got.grads), flat(naive.grads), 'gradient');
  model.dispose();
});

test('alpha 1: the gradient is the coefficient-weighted sum of the three passes, by separate backward passes', async () => {
  const { model, inputs, oneHot, got, hooks, coefs } = agmStep(1);
  await hooks.afterEpoch!(0);
  const { coef_a: ca, coef_b: cb } = coefs() as { coef_a: number; coef_b: number };
  assert.ok(Math.abs(ca - cb) > 1e-3, `the two coefficients should differ on this batch (${ca}, ${cb})`);
  const z = model.forward(inputs, { training: false }).get('fused')!;
  const g = tf.div(tf.sub(tf.softmax(z), oneHot), 8);
  const pass = (x: Record<string, tf.Tensor>) => tf.variableGrads(() => tf.sum(tf.mul(g, model.forward(x, { training: false }).get('fused')!)) as tf.Scalar, model.variables()).grads;
  const full = flat(pass(inputs));
  const noB = flat(pass({ ...inputs, b: tf.zerosLike(inputs.b) }));
  const noA = flat(pass({ ...inputs, a: tf.zerosLike(inputs.a) }));
  const expected = full.map((v, i) => ((ca + cb) / 2) * v + ((ca - cb) / 2) * noB[i]! + ((cb - ca) / 2) * noA[i]!);
  assertClose(flat(got.grads), expected, 'gradient');
  model.dispose();
});

test('three modalities are refused with a one-line error', () => {
  assert.throws(() => createMethod('agm').heads(['a', 'b', 'c']), /needs exactly 2 modalities/);
});

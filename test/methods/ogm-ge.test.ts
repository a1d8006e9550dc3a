/**
 * OGM-GE's update rule on a case small enough to follow by hand: the contributions of each modality
 * are recomputed here in plain arithmetic from the fused head's weights, and the gradients the hook
 * hands the optimizer must be the plain ones times each encoder's coefficient (noise off), with head
 * gradients untouched; with noise on, the change has the gradient's own standard deviation.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { parseTrainConfig } from '../../src/config/load.js';
import { ogmCoefficients } from '../../src/core/ogm.js';
import { createRng } from '../../src/core/rng.js';
import { hookContext } from '../helpers/hook-context.js';
import { initEngine } from '../../src/engine/index.js';
import { createMethod } from '../../src/methods/registry.js';
import { MultiHeadModel } from '../../src/models/multihead-model.js';
import { blendedLoss, type StepInfo, type StepTensors } from '../../src/train/loop.js';

before(async () => {
  await initEngine({ backend: 'cpu' });
});

const LABELS = [0, 1, 2, 1, 0, 2];

function setup(): { model: MultiHeadModel; inputs: Record<string, tf.Tensor>; oneHot: tf.Tensor } {
  const cfg = parseTrainConfig({ model: { mlpHidden: [4], fusedHidden: 5 } }).model;
  const model = new MultiHeadModel({
    encoders: [{ modality: 'a', inputShape: [3], kind: 'mlp' }, { modality: 'b', inputShape: [2], kind: 'mlp' }],
    heads: ['fused'], numClasses: 3, config: cfg,
  }, 11);
  // Non-zero biases, so that the fused head's output on zero features (the b/k term) matters.
  for (const [i, layer] of model.heads.get('fused')!.layers.entries()) {
    const [kernel, bias] = layer.getWeights();
    layer.setWeights([kernel!, tf.randomNormal(bias!.shape, 0, 1, 'float32', 20 + i)]);
  }
  const inputs = { a: tf.randomNormal([6, 3], 0, 1, 'float32', 1), b: tf.randomNormal([6, 2], 0, 0.3, 'float32', 2) };
  return { model, inputs, oneHot: tf.cast(tf.oneHot(tf.tensor1d(LABELS, 'int32'), 3), 'float32') };
}

/** Rows of a [n, d] tensor as number arrays. */
const rows = (t: tf.Tensor): number[][] => t.arraySync() as number[][];

/** The fused head by hand: relu(x W1 + b1) W2 + b2, for one feature row x. */
function fusedByHand(model: MultiHeadModel, x: number[]): number[] {
  const [w1, b1, w2, b2] = model.heads.get('fused')!.layers.flatMap((l) => l.getWeights().map((w) => w.arraySync() as number[][] | number[]));
  const h = (b1 as number[]).map((b, j) => Math.max(0, x.reduce((s, xi, i) => s + xi * (w1 as number[][])[i]![j]!, b)));
  return (b2 as number[]).map((b, c) => h.reduce((s, hj, j) => s + hj * (w2 as number[][])[j]![c]!, b));
}

const softmax = (z: number[]): number[] => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
};

function stepOf(model: MultiHeadModel, inputs: Record<string, tf.Tensor>, oneHot: tf.Tensor) {
  let kept: StepTensors | null = null;
  const { value, grads } = tf.variableGrads(
    () => blendedLoss(model, inputs, oneHot, { weights: { fused: 1 }, mode: 'all' }, undefined, { onOutputs: (logits, features) => {
      kept = { inputs, oneHot, logits: new Map([...logits].map(([k, t]) => [k, tf.keep(t)])), features: new Map([...features].map(([k, t]) => [k, tf.keep(t)])), headGrads: null };
    } }),
    model.variables(),
  );
  value.dispose();
  return { grads, step: kept! as StepTensors };
}

const info = (epoch: number): StepInfo => ({ epoch, step: 0, batch: Int32Array.from(LABELS.keys()), weights: { weights: { fused: 1 }, mode: 'all' } });

test('noise off: encoder gradients times the hand-computed coefficient, head gradients unchanged', () => {
  const { model, inputs, oneHot } = setup();
  const { grads, step } = stepOf(model, inputs, oneHot);
  // By hand: contribution of u = fused([phi_u, 0]) - (1/2) fused([0, 0]); score = sum of p(true class).
  const fa = rows(step.features.get('a')!);
  const fb = rows(step.features.get('b')!);
  const zeroA = fa[0]!.map(() => 0);
  const zeroB = fb[0]!.map(() => 0);
  const base = fusedByHand(model, [...zeroA, ...zeroB]);
  const score = (alone: (i: number) => number[]): number =>
    LABELS.reduce((s, y, i) => s + softmax(fusedByHand(model, alone(i)).map((z, c) => z - base[c]! / 2))[y]!, 0);
  const scores = { a: score((i) => [...fa[i]!, ...zeroB]), b: score((i) => [...zeroA, ...fb[i]!]) };
  const { coefficient } = ogmCoefficients(scores, 0.7);
  assert.ok(coefficient.a! < 1 || coefficient.b! < 1, `this case should modulate one modality: ${JSON.stringify(scores)}`);

  const method = createMethod('ogm-ge', { 'ogm-ge': { alpha: 0.7, noise: false } });
  const hooks = method.stepHooks!(model, hookContext({ epochs: 10, rng: createRng(0) }));
  const out = hooks.afterBackward!(grads, step, info(0));
  const owners = model.variableOwners();
  for (const [name, g] of Object.entries(grads)) {
    const o = owners.get(name)!;
    const k = o.kind === 'encoder' ? coefficient[o.modality]! : 1;
    const expected = g.dataSync();
    const got = out[name]!.dataSync();
    expected.forEach((v, i) => assert.ok(Math.abs(got[i]! - k * v) <= 1e-6 + 1e-5 * Math.abs(v), `${name}[${i}]: ${got[i]} vs ${k} * ${v}`));
  }
  // After the modulated part of the run (the first half by default), the gradients pass through.
  const late = createMethod('ogm-ge', { 'ogm-ge': { noise: false } }).stepHooks!(model, hookContext({ epochs: 10, rng: createRng(0) }));
  assert.equal(late.afterBackward!(grads, step, info(5)), grads);
  model.dispose();
});

test("noise on: each encoder gradient moves by noise of the gradient's own standard deviation", () => {
  const { model, inputs, oneHot } = setup();
  const { grads, step } = stepOf(model, inputs, oneHot);
  const hooks = createMethod('ogm-ge', { 'ogm-ge': { alpha: 0 } }).stepHooks!(model, hookContext({ epochs: 10, rng: createRng(3) }));
  const out = hooks.afterBackward!(grads, step, info(0));
  const owners = model.variableOwners();
  // alpha 0: every coefficient is 1, so out - g is the noise alone.
  const kernel = [...owners].find(([, o]) => o.kind === 'encoder' && o.modality === 'a')![0];
  const g = grads[kernel]!.dataSync();
  const noise = Array.from(out[kernel]!.dataSync(), (v, i) => v - g[i]!);
  const sd = (xs: ArrayLike<number>): number => {
    const m = Array.from(xs).reduce((s, v) => s + v, 0) / xs.length;
    return Math.sqrt(Array.from(xs).reduce((s, v) => s + (v - m) ** 2, 0) / xs.length);
  };
  const ratio = sd(noise) / sd(g);
  assert.ok(ratio > 0.6 && ratio < 1.4, `noise std / gradient std = ${ratio} (12 values)`);
  for (const [name, o] of owners) if (o.kind === 'head') assert.equal(out[name], grads[name]);
  model.dispose();
});

/**
 * InfoReg's update rule on a small model: in the prime learning window, each encoder's gradient gains
 * beta_m (theta - theta_anchor), with beta_m recomputed here by hand from the heads' softmax
 * confidences; heads, the fusion and the weakest encoder are untouched; out of the window nothing is.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../src/engine/index.js';
import { createMethod } from '../../src/methods/registry.js';
import type { StepInfo, StepTensors } from '../../src/train/loop.js';
import { stepGradients } from '../../src/train/step-gradients.js';
import { hookContext } from '../helpers/hook-context.js';
import { EVERY_HEAD, STEP_LABELS as LABELS, twoModalityStep } from '../helpers/two-modality-step.js';

before(async () => {
  await initEngine({ backend: 'cpu' });
});

const ALL = EVERY_HEAD;
const setup = twoModalityStep;

/** Sum over the batch of softmax(logits)[label], in plain arithmetic. */
function confidence(logits: tf.Tensor): number {
  const rows = logits.arraySync() as number[][];
  return rows.reduce((s, row, i) => {
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    return s + e[LABELS[i]!]! / e.reduce((t, v) => t + v, 0);
  }, 0);
}

const info = (epoch: number, step: number): StepInfo => ({ epoch, step, batch: new Int32Array(8), weights: ALL });

test('in the window: the leading encoder gains beta exp(tanh(gap)) (theta - anchor); the rest is untouched', () => {
  const { model, inputs, oneHot } = setup();
  const method = createMethod('inforeg');
  const reports: Record<string, number>[] = [];
  const hooks = method.stepHooks!(model, hookContext({ report: (s) => void reports.push(s) }));
  const logits = model.forward(inputs, { training: false });
  const step: StepTensors = { inputs, oneHot, logits, features: new Map(), headGrads: null };
  const vars = model.variables();
  const first = stepGradients({ model, inputs, oneHot, weights: ALL, variables: vars, nextSeed: () => 0 });
  // The epoch's first step takes the anchor before anything moves: theta - anchor = 0.
  const out0 = hooks.afterBackward!(first.grads, step, info(0, 0));
  for (const [n, g] of Object.entries(first.grads)) assert.deepEqual(out0[n]!.dataSync(), g.dataSync(), n);
  // Move every variable by a known amount, as the optimizer would.
  const delta = new Map(vars.map((v, i) => [v.name, tf.fill(v.shape, 0.01 * (i + 1))]));
  for (const v of vars) v.assign(tf.add(v, delta.get(v.name)!));
  const out = hooks.afterBackward!(first.grads, step, info(0, 1));
  const sa = confidence(logits.get('a')!);
  const sb = confidence(logits.get('b')!);
  const lead = sa > sb ? 'a' : 'b';
  const beta = 0.95 * Math.exp(Math.tanh(Math.abs(sa - sb)));
  for (const [n, owner] of model.variableOwners()) {
    const g = Array.from(first.grads[n]!.dataSync());
    const got = Array.from(out[n]!.dataSync());
    const d = delta.get(n)!.dataSync()[0]!;
    const expected = owner.kind === 'encoder' && owner.modality === lead ? g.map((v) => v + beta * d) : g;
    expected.forEach((v, j) => assert.ok(Math.abs(got[j]! - v) <= 1e-6 + 1e-5 * Math.abs(v), `${n}[${j}]: ${got[j]} vs ${v}`));
  }
  // The epoch's report: the mean beta per modality, the information amount, the growth before it, the window.
  void hooks.afterEpoch!(0);
  assert.equal(reports.length, 1);
  assert.ok(Math.abs(reports[0]![`beta_${lead}`]! - beta) < 1e-6, JSON.stringify(reports[0]));
  assert.equal(reports[0]![`beta_${lead === 'a' ? 'b' : 'a'}`], 0);
  assert.equal(reports[0]!.window, 1);
  assert.equal(reports[0]!.growth, 1);
  assert.ok(reports[0]!.information! > 0);
  assert.deepEqual((method.saveState!() as { information: number[] }).information, [reports[0]!.information]);
  method.dispose!();
  model.dispose();
});

test('out of the window (information flat): gradients pass through unchanged', () => {
  const { model, inputs, oneHot } = setup();
  // Window 2: the sums of the last 2 epochs and of the 2 before the last are equal.
  const method = createMethod('inforeg', { inforeg: { window: 2 } });
  method.loadState!({ information: [3, 3, 3] });
  const hooks = method.stepHooks!(model, hookContext());
  const logits = model.forward(inputs, { training: false });
  const { grads } = stepGradients({ model, inputs, oneHot, weights: ALL, variables: model.variables(), nextSeed: () => 0 });
  for (const v of model.variables()) v.assign(tf.add(v, 0.5));
  const out = hooks.afterBackward!(grads, { inputs, oneHot, logits, features: new Map(), headGrads: null }, info(3, 0));
  assert.equal(out, grads);
  method.dispose!();
  model.dispose();
});

test('options: the authors\' defaults; bad values are refused', () => {
  assert.throws(() => createMethod('inforeg', { inforeg: { window: 0 } }));
  assert.throws(() => createMethod('inforeg', { inforeg: { beta: -1 } }));
  assert.doesNotThrow(() => createMethod('inforeg', { inforeg: { beta: 0.5, window: 5, threshold: 0.1 } }));
});

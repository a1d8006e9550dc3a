/**
 * MMPareto's update rule on a small model: the per-head gradients come from separate backward passes
 * and must add up to the one-pass gradient; the encoder gradients the hook returns must equal the
 * authors' rule recomputed here in plain arithmetic (products over each encoder's tensors, Pareto
 * weights, 2(alpha_m g_m + alpha_u g_u), scaled per tensor to at least the plain sum's norm, times gamma).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { paretoWeights } from '../../src/core/pareto.js';
import { createRng } from '../../src/core/rng.js';
import { hookContext } from '../helpers/hook-context.js';
import { EVERY_HEAD, twoModalityStep } from '../helpers/two-modality-step.js';
import { initEngine } from '../../src/engine/index.js';
import { createMethod } from '../../src/methods/registry.js';
import type { StepTensors } from '../../src/train/loop.js';
import { stepGradients } from '../../src/train/step-gradients.js';

before(async () => {
  await initEngine({ backend: 'cpu' });
});

const ALL = EVERY_HEAD;
const setup = twoModalityStep;

const flat = (t: tf.Tensor | undefined, n: number): number[] => (t ? Array.from(t.dataSync()) : new Array<number>(n).fill(0));
const norm = (x: number[]): number => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

test('per-head gradients add up to the one-pass gradient', () => {
  const { model, inputs, oneHot } = setup();
  const vars = model.variables();
  const one = stepGradients({ model, inputs, oneHot, weights: ALL, variables: vars, nextSeed: () => 0 });
  const per = stepGradients({ model, inputs, oneHot, weights: ALL, variables: vars, nextSeed: () => 0, perHead: true });
  assert.deepEqual([...per.headGrads!.keys()], ['a', 'b', 'fused']);
  for (const [name, g] of Object.entries(one.grads)) {
    const a = g.dataSync();
    const b = per.grads[name]!.dataSync();
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= 1e-6 + 1e-5 * Math.abs(v), `${name}[${i}]`));
  }
  close(one.value.dataSync()[0]!, per.value.dataSync()[0]!);
  model.dispose();
});

function close(a: number, b: number): void {
  assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a)), `${a} vs ${b}`);
}

test("the hook's encoder gradients follow the authors' rule, recomputed by hand; heads untouched", () => {
  const { model, inputs, oneHot } = setup();
  const per = stepGradients({ model, inputs, oneHot, weights: ALL, variables: model.variables(), nextSeed: () => 0, perHead: true });
  const step: StepTensors = { inputs, oneHot, logits: new Map(), features: new Map(), headGrads: per.headGrads };
  const gamma = 1.5;
  const hooks = createMethod('mmpareto').stepHooks!(model, hookContext({ epochs: 1, rng: createRng(0) }));
  assert.equal(hooks.perHeadGradients, true);
  const out = hooks.afterBackward!(per.grads, step, { epoch: 0, step: 0, batch: new Int32Array(8), weights: ALL });
  const owners = model.variableOwners();
  let conflicts = 0;
  for (const m of ['a', 'b']) {
    const names = [...owners].filter(([, o]) => o.kind === 'encoder' && o.modality === m).map(([n]) => n);
    const gm = names.map((n) => flat(per.headGrads!.get('fused')![n], per.grads[n]!.size));
    const gu = names.map((n) => flat(per.headGrads!.get(m)![n], per.grads[n]!.size));
    const d = (x: number[][], y: number[][]): number => x.reduce((s, xi, i) => s + xi.reduce((t, v, j) => t + v * y[i]![j]!, 0), 0);
    const w = paretoWeights({ mm: d(gm, gm), uu: d(gu, gu), mu: d(gm, gu) });
    if (w.conflict) conflicts++;
    names.forEach((n, i) => {
      const combined = gm[i]!.map((v, j) => 2 * w.alphaM * v + 2 * w.alphaU * gu[i]![j]!);
      const scale = Math.max(norm(flat(per.grads[n], 0)) / norm(combined), 1) * gamma;
      const got = Array.from(out[n]!.dataSync());
      combined.forEach((v, j) => assert.ok(Math.abs(got[j]! - v * scale) <= 1e-6 + 1e-4 * Math.abs(v * scale), `${n}[${j}]: ${got[j]} vs ${v * scale}`));
    });
  }
  for (const [n, o] of owners) if (o.kind === 'head') assert.equal(out[n], per.grads[n]);
  // Both branches: on this seed one encoder's gradients conflict and the other's agree.
  assert.equal(conflicts, 1);
  model.dispose();
});

/**
 * The blended gradient is the weighted sum of the per-head gradients (method.md section 3):
 * - blend 'all': every parameter gets sum_i w_i grad L_i;
 * - blend 'shared': encoder parameters get sum_i w_i grad L_i, each head's own layers get grad L_i.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { parseTrainConfig } from '../../src/config/load.js';
import { initEngine } from '../../src/engine/index.js';
import { MultiHeadModel } from '../../src/models/multihead-model.js';
import { blendedLoss, type BlendMode } from '../../src/train/loop.js';
import { meanCrossEntropy } from '../../src/train/losses.js';

before(async () => {
  await initEngine({ backend: 'wasm' });
});

function buildModel(): MultiHeadModel {
  const config = parseTrainConfig({ model: { mlpHidden: [8, 6], convChannels: [3], convFeatures: 5, fusedHidden: 7 } }).model;
  return new MultiHeadModel(
    {
      encoders: [
        { modality: 'vec', inputShape: [4], kind: 'mlp' },
        { modality: 'img', inputShape: [6, 6], kind: 'conv' },
      ],
      heads: ['vec', 'img', 'fused'],
      numClasses: 3,
      config,
    },
    7,
  );
}

function batch(): { inputs: Record<string, tf.Tensor>; oneHot: tf.Tensor } {
  return {
    inputs: { vec: tf.randomNormal([5, 4], 0, 1, 'float32', 1), img: tf.randomNormal([5, 6, 6], 0, 1, 'float32', 2) },
    oneHot: tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0], 'int32'), 3), 'float32'),
  };
}

function gradsOf(model: MultiHeadModel, f: () => tf.Scalar): Map<string, Float32Array> {
  const { value, grads } = tf.variableGrads(f, model.variables());
  const out = new Map(Object.entries(grads).map(([name, g]) => [name, g.dataSync() as Float32Array]));
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

function headVariableNames(model: MultiHeadModel, head: string): Set<string> {
  return new Set(model.heads.get(head)!.layers.flatMap((l) => l.trainableWeights.map((w) => (w.read() as tf.Variable).name)));
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, what);
  let maxAbs = 0;
  for (const v of expected) maxAbs = Math.max(maxAbs, Math.abs(v));
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= 1e-5 + 1e-4 * maxAbs, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

const WEIGHT_SETS: Record<string, number>[] = [
  { vec: 0.2, img: 0.05, fused: 0.75 },
  // Below the 1e-3 cap: the head's own layers train at w / 1e-3 of full rate, a zero-weight head not at all.
  { vec: 0, img: 1e-4, fused: 0.9999 },
];
const weights = WEIGHT_SETS[0]!;

function checkBlend(mode: BlendMode, weights: Record<string, number>): void {
  const model = buildModel();
  const { inputs, oneHot } = batch();
  try {
    const perHead = new Map<string, Map<string, Float32Array>>();
    for (const h of model.headNames) {
      perHead.set(h, gradsOf(model, () => meanCrossEntropy(model.forward(inputs, { training: true }).get(h)!, oneHot)));
    }
    const blended = gradsOf(model, () => blendedLoss(model, inputs, oneHot, { weights, mode }));
    const owner = new Map<string, string>();
    for (const h of model.headNames) for (const name of headVariableNames(model, h)) owner.set(name, h);
    const frozen = mode !== 'shared-full' && Object.values(weights).some((w) => w === 0);
    if (!frozen) assert.equal(blended.size, model.variables().length, 'every variable gets a gradient');
    for (const v of model.variables()) {
      const expected = new Float32Array(v.size);
      const own = owner.get(v.name);
      for (const [h, grads] of perHead) {
        const g = grads.get(v.name);
        if (g === undefined) continue;
        // A head's own layers in 'shared' mode: w grad L divided by max(w, 1e-3) (method.md section 3).
        const w = weights[h]!;
        // 'shared-full': a head's own layers always get their unweighted gradient, even at w = 0.
        const coef = own === undefined ? w : mode === 'shared' ? w / Math.max(w, 1e-3) : mode === 'shared-full' ? 1 : w;
        for (let i = 0; i < g.length; i++) expected[i] += coef * g[i]!;
      }
      assertClose(blended.get(v.name) ?? new Float32Array(v.size), expected, `${mode} ${v.name}`);
    }
    // The check must be able to tell the modes apart: head gradients differ between them.
    assert.ok(owner.size > 0);
  } finally {
    tf.dispose([...Object.values(inputs), oneHot]);
    model.dispose();
  }
}

for (const [i, w] of WEIGHT_SETS.entries()) {
  test(`blend 'all', weights #${i}: gradient equals sum of weighted per-head gradients for every parameter`, () => checkBlend('all', w));
  test(`blend 'shared', weights #${i}: encoders get the weighted sum, head layers w/max(w,1e-3) of their gradient`, () => checkBlend('shared', w));
  test(`blend 'shared-full', weights #${i}: encoders get the weighted sum, head layers their whole gradient at any weight`, () => checkBlend('shared-full', w));
}

test("blend 'shared' differs from 'all' on head layers and agrees on encoders", () => {
  const model = buildModel();
  const { inputs, oneHot } = batch();
  try {
    const all = gradsOf(model, () => blendedLoss(model, inputs, oneHot, { weights, mode: 'all' }));
    const shared = gradsOf(model, () => blendedLoss(model, inputs, oneHot, { weights, mode: 'shared' }));
    const imgHead = [...headVariableNames(model, 'img')][0]!;
    // img has weight 0.05: its own kernel's gradient is 20x larger in 'shared'.
    const a = all.get(imgHead)!;
    const s = shared.get(imgHead)!;
    const i = a.findIndex((x) => Math.abs(x) > 1e-6);
    assert.ok(Math.abs(s[i]! / a[i]! - 20) < 1e-2, `ratio ${s[i]! / a[i]!}`);
    const encoderVar = model.variables().find((v) => v.name.includes('enc_vec'))!.name;
    assertClose(shared.get(encoderVar)!, all.get(encoderVar)!, 'encoder');
  } finally {
    tf.dispose([...Object.values(inputs), oneHot]);
    model.dispose();
  }
});

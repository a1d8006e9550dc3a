/**
 * Late fusion as a module is bit for bit the model from before fusions were modules (commit 8a007b1):
 * fixtures/late-snapshot.json holds that model's logits, its gradients under G-Blend's per-head scales
 * with encoder and fused dropout, and its saved topology, computed on the cpu backend. Same layer
 * names and seeds, so earlier numbers and saved models stay valid.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { parseTrainConfig } from '../../src/config/load.js';
import { initEngine } from '../../src/engine/index.js';
import { MultiHeadModel } from '../../src/models/multihead-model.js';

before(async () => {
  await initEngine({ backend: 'cpu' });
});

const fixture = JSON.parse(readFileSync(new URL('../../../test/models/fixtures/late-snapshot.json', import.meta.url), 'utf8')) as Record<string, Record<string, (number | string)[]>>;

function probe(fusedDropout: number): Record<string, (number | string)[]> {
  const config = parseTrainConfig({ model: { mlpHidden: [8, 6], convChannels: [3, 4], convFeatures: 5, fusedHidden: 7, dropout: 0.25, fusedDropout } }).model;
  const model = new MultiHeadModel({ encoders: [{ modality: 'v', inputShape: [5], kind: 'mlp' }, { modality: 'img', inputShape: [6, 6], kind: 'conv' }], heads: ['v', 'img', 'fused'], numClasses: 3, config }, 1234);
  const n = 4;
  const inputs = { v: tf.tensor2d(Array.from({ length: n * 5 }, (_, i) => Math.sin(i)), [n, 5]), img: tf.tensor3d(Array.from({ length: n * 36 }, (_, i) => Math.cos(i * 0.7)), [n, 6, 6]) };
  const out: Record<string, (number | string)[]> = {};
  for (const [h, z] of model.forward(inputs, { training: false })) out[`eval_${h}`] = Array.from(z.dataSync());
  let seed = 7;
  const { grads, value } = tf.variableGrads(() => {
    const z = model.forward(inputs, { training: true, gradScale: { fused: 2.5, v: 0.5, img: 1 }, nextSeed: () => seed++ });
    return tf.addN([...z.values()].map((t, i) => tf.mul(tf.sum(tf.square(t)), i + 1))) as tf.Scalar;
  }, model.variables());
  out.loss = [value.dataSync()[0]!];
  model.variables().forEach((v, i) => (out[`grad_${i}_${v.name.replace(/_\d+$/, '')}`] = Array.from(grads[v.name]!.dataSync())));
  const g = model.exportGraph({ v: { mean: [0, 1, 2, 3, 4], std: [1, 2, 3, 4, 5] }, img: { mean: [0.5], std: [2] } });
  out.topology = [JSON.stringify(g.toJSON(null, false))];
  g.dispose();
  tf.dispose([value, ...Object.values(grads), ...Object.values(inputs)]);
  model.dispose();
  return out;
}

for (const [name, fusedDropout] of [['plain', 0], ['fd', 0.3]] as const) {
  test(`late fusion equals the model before fusion modules, exactly (fused dropout ${fusedDropout})`, () => {
    const now = probe(fusedDropout);
    const then = fixture[name]!;
    assert.deepEqual(Object.keys(now), Object.keys(then));
    for (const key of Object.keys(then)) assert.deepEqual(now[key], then[key], key);
  });
}

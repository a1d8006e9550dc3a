/** Algorithm 1 leaves the main model untouched; methods of one seed start from one snapshot. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { parseTrainConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import { initEngine } from '../../src/engine/index.js';
import { MultiHeadModel, type ModelSpec } from '../../src/models/multihead-model.js';
import { estimateWeights } from '../../src/train/estimate.js';
import { computeSplits, disposePrepared, prepareData } from '../../src/train/prepared-data.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

before(async () => {
  await initEngine({ backend: 'wasm' });
});

const config = parseTrainConfig({ valFraction: 0.2, model: { mlpHidden: [8], fusedHidden: 8 } });
const dataset = tinyDataset([
  { name: 'a', shape: [6], separation: 1.5 },
  { name: 'b', shape: [4], separation: 0.3 },
]);

const spec = (heads: string[]): ModelSpec => ({
  encoders: [
    { modality: 'a', inputShape: [6], kind: 'mlp' },
    { modality: 'b', inputShape: [4], kind: 'mlp' },
  ],
  heads,
  numClasses: 3,
  config: config.model,
});

const snapshot = (m: MultiHeadModel): Map<string, Float32Array> =>
  new Map(m.graph.layers.flatMap((l) => l.getWeights().map((w, i) => [`${l.name}/${i}`, w.dataSync() as Float32Array] as const)));

test('an estimate trains copies only: the main model keeps every weight', async () => {
  const data = prepareData(dataset, computeSplits(dataset, config.valFraction, config.testFraction, 0));
  const model = new MultiHeadModel(spec(['a', 'b', 'fused']), 5);
  try {
    const before = snapshot(model);
    const result = await estimateWeights(model, 2, null, { data, blend: config.blend, optimizer: config.optimizer, batchSize: 16, rng: createRng(1) });
    assert.deepEqual(Object.keys(result.weights), ['a', 'b', 'fused']);
    // The copies did train: their validation loss moved.
    for (const h of Object.values(result.heads)) assert.notEqual(h.lv0, h.lv1);
    const after = snapshot(model);
    assert.deepEqual([...after.keys()], [...before.keys()]);
    for (const [k, v] of before) assert.deepEqual(after.get(k), v, k);
  } finally {
    model.dispose();
    disposePrepared(data);
  }
});

test('a layer starts with the same weights in every method of one seed', () => {
  const naive = new MultiHeadModel(spec(['fused']), 9);
  const aux = new MultiHeadModel(spec(['a', 'b', 'fused']), 9);
  const uni = new MultiHeadModel(spec(['b']), 9);
  const other = new MultiHeadModel(spec(['fused']), 10);
  try {
    const [n, x, u, o] = [naive, aux, uni, other].map(snapshot);
    for (const [k, v] of n!) assert.deepEqual(x!.get(k), v, `naive vs aux ${k}`);
    for (const [k, v] of u!) assert.deepEqual(x!.get(k), v, `uni vs aux ${k}`);
    const key = [...n!.keys()].find((k) => k.startsWith('enc_a_dense1'))!;
    assert.notDeepEqual(o!.get(key), n!.get(key), 'another seed starts elsewhere');
  } finally {
    tf.dispose();
    [naive, aux, uni, other].forEach((m) => m.dispose());
  }
});

test('modality names that collide as layer names are refused', () => {
  assert.throws(
    () => new MultiHeadModel({ ...spec(['fused']), encoders: [
      { modality: 'a-b', inputShape: [2], kind: 'mlp' },
      { modality: 'a_b', inputShape: [2], kind: 'mlp' },
    ] }, 0),
    /modalities 'a-b' and 'a_b' map to the same layer name/,
  );
});

test('estimateRows: all rows at fraction 1; a sorted random subset of the fraction otherwise, the same for the same rng', async () => {
  const { estimateRows } = await import('../../src/train/estimate.js');
  const { createRng } = await import('../../src/core/rng.js');
  const train = Array.from({ length: 40 }, (_, i) => 3 * i);
  assert.equal(estimateRows(train, 1, createRng(1)), train);
  const a = estimateRows(train, 0.25, createRng(1));
  assert.equal(a.length, 10);
  assert.ok(a.every((r, i) => train.includes(r) && (i === 0 || a[i - 1]! < r)));
  assert.deepEqual(estimateRows(train, 0.25, createRng(1)), a);
  assert.notDeepEqual(estimateRows(train, 0.25, createRng(2)), a);
});

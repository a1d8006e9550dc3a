/** A saved model reloads (TF.js layers format) and computes the same outputs as the trained one. */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { predict } from '../../src/api/predict.js';
import { saveTrained, train } from '../../src/api/train.js';
import { initEngine } from '../../src/engine/index.js';
import { loadModel } from '../../src/models/saved-model.js';
import { applyNormalizer } from '../../src/train/prepared-data.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

before(async () => {
  await initEngine({ backend: 'wasm' });
});

const dataset = tinyDataset([
  { name: 'v', shape: [5], separation: 1.2 },
  { name: 'img', shape: [6, 6], separation: 0.6 },
], 12, 3);

test('save then load: every head gives the same logits as the trained model', async () => {
  const run = await train({ method: 'aux', epochs: 2, batchSize: 8, model: { mlpHidden: [8], convChannels: [2], convFeatures: 6, fusedHidden: 6 } }, {}, dataset);
  const dir = join(await mkdtemp(join(tmpdir(), 'gblend-save-')), 'model');
  await saveTrained(run, dir);
  assert.deepEqual((await readdir(dir)).sort(), ['gblend.json', 'model.json', 'weights.bin']);
  const { graph, meta } = await loadModel(dir);
  assert.deepEqual(meta.heads, ['v', 'img', 'fused']);
  assert.deepEqual(meta.classes, ['c0', 'c1', 'c2']);
  const n = dataset.labels.length;
  // The saved graph normalises raw inputs itself (version 2); the trained model takes normalised ones.
  assert.equal(meta.version, 2);
  const source = (name: string): Float32Array => dataset.modalities.find((x) => x.name === name)!.data;
  const raw = meta.modalities.map((m) => tf.tensor(source(m.name), [n, ...m.shape]));
  const inputs = meta.modalities.map((m) => tf.tensor(applyNormalizer(source(m.name), m.shape.reduce((a, b) => a * b, 1), m.normalization), [n, ...m.shape]));
  const loaded = graph.predict(raw) as tf.Tensor[];
  const original = run.model.forward(Object.fromEntries(meta.modalities.map((m, i) => [m.name, inputs[i]!])), { training: false });
  meta.heads.forEach((h, i) => {
    const a = loaded[i]!.dataSync();
    const b = original.get(h)!.dataSync();
    for (let j = 0; j < a.length; j++) assert.ok(Math.abs(a[j]! - b[j]!) < 1e-5, `${h}[${j}]`);
  });
  tf.dispose([...raw, ...inputs, ...loaded, ...original.values()]);
  graph.dispose();
  run.model.dispose();

  // predict(): fused with both modalities, the remaining uni head with one missing.
  const both = await predict(dir, dataset);
  assert.deepEqual(both.heads, ['fused']);
  const imgOnly = await predict(dir, dataset, { modalities: ['img'] });
  assert.deepEqual(imgOnly.heads, ['img']);
  assert.deepEqual(imgOnly.modalitiesUsed, ['img']);
  await assert.rejects(predict(dir, dataset, { modalities: [] }), /option 'modalities' \(--modalities\): names no modality/);
});

test('loading a folder that is not a gblend model names the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gblend-notmodel-'));
  await assert.rejects(loadModel(dir), /gblend\.json: not found/);
  await writeFile(join(dir, 'gblend.json'), '{"format": "other"}');
  await assert.rejects(loadModel(dir), /gblend\.json: field 'format': not a gblend model/);
});

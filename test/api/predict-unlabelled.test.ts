/** predict() on new data without labels: the same predictions as on the labelled copy, no scores. */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { predict } from '../../src/api/predict.js';
import { saveTrained, train } from '../../src/api/train.js';
import { initEngine } from '../../src/engine/index.js';
import { tinyDataset, writeDatasetDir } from '../helpers/tiny-dataset.js';

const dataset = tinyDataset([
  { name: 'v', shape: [5], separation: 1.2 },
  { name: 'img', shape: [6, 6], separation: 0.6 },
], 10, 3);

let modelDir = '';
let labelledDir = '';
let unlabelledDir = '';

before(async () => {
  await initEngine({ backend: 'wasm' });
  const run = await train({ method: 'aux', epochs: 2, batchSize: 8, model: { mlpHidden: [8], convChannels: [2], convFeatures: 6, fusedHidden: 6 } }, {}, dataset);
  modelDir = join(await mkdtemp(join(tmpdir(), 'gblend-predict-unlabelled-')), 'model');
  await saveTrained(run, modelDir);
  run.model.dispose();
  labelledDir = await writeDatasetDir(dataset);
  unlabelledDir = await writeDatasetDir(dataset, { withLabels: false });
});

test('predict on an unlabelled folder: same predictions and probabilities as labelled, accuracy and macro-F1 null', async () => {
  const labelled = await predict(modelDir, labelledDir, { backend: 'wasm' });
  const unlabelled = await predict(modelDir, unlabelledDir, { backend: 'wasm' });
  assert.equal(typeof labelled.accuracy, 'number', 'the labelled copy is scored');
  assert.equal(typeof labelled.macroF1, 'number');
  assert.equal(unlabelled.accuracy, null);
  assert.equal(unlabelled.macroF1, null);
  assert.equal(unlabelled.predicted.length, dataset.labels.length);
  assert.deepEqual(Array.from(unlabelled.predicted), Array.from(labelled.predicted));
  assert.deepEqual(Array.from(unlabelled.probabilities), Array.from(labelled.probabilities));
  assert.deepEqual(unlabelled.heads, ['fused']);
});

test('predict on in-memory data with labels null, and with a modality left out', async () => {
  const labelled = await predict(modelDir, dataset, { backend: 'wasm', modalities: ['img'] });
  const unlabelled = await predict(modelDir, { ...dataset, labels: null }, { backend: 'wasm', modalities: ['img'] });
  assert.deepEqual(unlabelled.heads, ['img']);
  assert.equal(unlabelled.accuracy, null);
  assert.equal(unlabelled.macroF1, null);
  assert.deepEqual(Array.from(unlabelled.probabilities), Array.from(labelled.probabilities));
});

/**
 * model.json alone gives the right probabilities: plain TensorFlow.js (no gblend code) on raw inputs
 * agrees with `predict`, which reads gblend.json. A model saved before the normalisation moved into the
 * graph (version 1: normalised inputs) still loads and predicts the same.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { predict } from '../../src/api/predict.js';
import { saveTrained, train } from '../../src/api/train.js';
import { plainFusedProbabilities } from '../helpers/plain-tfjs.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const dataset = tinyDataset([
  { name: 'v', shape: [5], separation: 1.2 },
  { name: 'img', shape: [6, 6], separation: 0.6 },
], 12, 3);

const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string): void => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-5, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

test('plain tf.loadLayersModel on raw inputs matches predict; a version-1 model still predicts the same', async () => {
  const run = await train({ method: 'aux', epochs: 1, batchSize: 8, backend: 'wasm', model: { mlpHidden: [8], convChannels: [2], convFeatures: 6, fusedHidden: 6 } }, {}, dataset);
  const root = await mkdtemp(join(tmpdir(), 'gblend-plain-'));
  const dir = join(root, 'model');
  const tensors = tf.memory().numTensors;
  await saveTrained(run, dir);
  assert.equal(tf.memory().numTensors, tensors, 'saving (with its normalisation layers) leaves no tensor behind');
  const expected = await predict(dir, dataset, { backend: 'wasm' });

  // What a user does with plain TensorFlow.js: model.json + weights.bin, raw inputs, softmax of 'fused'.
  close(await plainFusedProbabilities(dir, dataset), expected.probabilities, 'plain tfjs vs predict');

  // A version-1 folder: the graph without the normalisation, gblend.json saying version 1.
  const old = join(root, 'old');
  await mkdir(old);
  await run.model.graph.save(tf.io.withSaveHandler(async (a) => {
    await writeFile(join(old, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] }));
    await writeFile(join(old, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const meta = JSON.parse(await readFile(join(dir, 'gblend.json'), 'utf8'));
  delete meta.normalizedInGraph;
  await writeFile(join(old, 'gblend.json'), JSON.stringify({ ...meta, version: 1 }));
  close((await predict(old, dataset, { backend: 'wasm' })).probabilities, expected.probabilities, 'version 1 vs version 2');
  run.model.dispose();
});

/**
 * gblend/web in Node: loadModel over HTTP, predict on any subset of modalities, no tensor left behind
 * (the memory invariant of every tfjs entry point), and one-line errors naming the URL or the input.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { predict } from '../../src/api/predict.js';
import { saveTrained, train } from '../../src/api/train.js';
import { loadModel, SavedModelError, type WebModel } from '../../src/web/index.js';
import { serveFolder, type StaticServer } from '../helpers/static-server.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const dataset = tinyDataset([{ name: 'v', shape: [5], separation: 1.2 }, { name: 'img', shape: [6, 6], separation: 0.6 }], 8, 3);
let server: StaticServer;
let dir: string;
let model: WebModel;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gblend-web-model-'));
  const run = await train({ method: 'aux', epochs: 1, batchSize: 8, backend: 'wasm', model: { mlpHidden: [8], convChannels: [2], convFeatures: 6, fusedHidden: 6 } }, {}, dataset);
  await saveTrained(run, join(dir, 'model'));
  run.model.dispose();
  server = await serveFolder(dir);
  model = await loadModel(`${server.url}model/`, { prefer: ['wasm'] });
});

after(async () => {
  model?.dispose();
  await server?.close();
});

const rows = (name: string, from: number, count: number): Float32Array => {
  const m = dataset.modalities.find((x) => x.name === name)!;
  const size = m.shape.reduce((a, b) => a * b, 1);
  return m.data.slice(from * size, (from + count) * size);
};

test('predict: the heads of Node predict, for all modalities and for one, without leaking tensors', async () => {
  const expected = await predict(join(dir, 'model'), dataset, { backend: 'wasm' });
  const before = tf.memory().numTensors;
  const both = await model.predict({ v: rows('v', 0, 4), img: rows('img', 0, 4) });
  assert.deepEqual(both.heads, ['fused']);
  assert.deepEqual(Object.keys(both.perHead), ['v', 'img', 'fused']);
  both.probabilities.forEach((p, r) => p.forEach((x, c) => assert.ok(Math.abs(x - expected.probabilities[r * 3 + c]!) < 1e-5)));
  const one = await model.predict({ img: rows('img', 0, 2) });
  assert.deepEqual(one.heads, ['img']);
  assert.deepEqual(Object.keys(one.perHead), ['img']);
  assert.equal(one.predicted.length, 2);
  for (let i = 0; i < 5; i++) await model.predict({ v: rows('v', i, 1) });
  assert.equal(tf.memory().numTensors, before);
});

test('bad inputs and URLs: one-line errors naming the input or the file', async () => {
  await assert.rejects(model.predict({ sound: [1, 2] }), /'sound' is not a modality of the model \(it knows 'v', 'img'\)/);
  await assert.rejects(model.predict({ v: [1, 2, 3] }), /input 'v' has 3 values: not a whole number of examples of 5 values/);
  await assert.rejects(model.predict({ v: rows('v', 0, 2), img: rows('img', 0, 1) }), /input 'img' has 36 values: .* not 2 examples/);
  await assert.rejects(model.predict({}), /the inputs name no modality/);
  await assert.rejects(loadModel(`${server.url}nothing/`, { prefer: ['wasm'] }), (err: Error) =>
    err instanceof SavedModelError && /nothing\/gblend\.json: HTTP 404/.test(err.message) && !err.message.includes('\n'));
  // In Node a folder on disk is no URL to fetch: the error says so and names the loader that reads it.
  for (const path of ['./model/', '/tmp/model/', 'file:///tmp/model/']) {
    await assert.rejects(loadModel(path, { prefer: ['wasm'] }), (err: Error) =>
      err instanceof SavedModelError && err.message.startsWith(`${path}: `) && /over http\(s\) only.*loadModel from 'gblend'/.test(err.message));
  }
});

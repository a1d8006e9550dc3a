/**
 * A saved model of every fusion loads in plain TensorFlow.js (model.json + weights.bin, raw inputs)
 * and gives the probabilities `predict` gives; with a modality missing, `predict` falls back on the
 * uni-modal head of the one present. A method that does not combine with a fusion says so in one line.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { predict } from '../../src/api/predict.js';
import { saveTrained, train } from '../../src/api/train.js';
import { FUSION_NAMES } from '../../src/models/fusions/names.js';
import { UserError } from '../../src/core/user-error.js';
import { plainFusedProbabilities } from '../helpers/plain-tfjs.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const dataset = tinyDataset([
  { name: 'v', shape: [5], separation: 1.2 },
  { name: 'img', shape: [6, 6], separation: 0.6 },
], 10, 3);

const model = { mlpHidden: [8], convChannels: [2], convFeatures: 6, fusedHidden: 6, lmfRank: 2 };

for (const fusion of FUSION_NAMES) {
  test(`${fusion}: plain tf.loadLayersModel matches predict; predict with a modality missing uses the uni-modal head`, async () => {
    const run = await train({ method: 'aux', epochs: 1, batchSize: 8, backend: 'wasm', model: { ...model, fusion } }, {}, dataset);
    const dir = join(await mkdtemp(join(tmpdir(), `gblend-${fusion}-`)), 'model');
    await saveTrained(run, dir);
    run.model.dispose();
    const expected = await predict(dir, dataset, { backend: 'wasm' });
    assert.deepEqual(expected.heads, ['fused']);
    const plain = await plainFusedProbabilities(dir, dataset);
    assert.equal(plain.length, expected.probabilities.length);
    plain.forEach((p, i) => assert.ok(Math.abs(p - expected.probabilities[i]!) < 1e-5, `${fusion} [${i}]: ${p} vs ${expected.probabilities[i]}`));
    const imgOnly = await predict(dir, dataset, { backend: 'wasm', modalities: ['img'] });
    assert.deepEqual(imgOnly.heads, ['img']);
  });
}

test('a method that is not defined for a fusion is refused in one line before training', async () => {
  for (const fusion of ['se', 'nl', 'lmf'] as const) {
    await assert.rejects(train({ method: 'ogm-ge', epochs: 1, backend: 'wasm', model: { ...model, fusion } }, {}, dataset),
      (e: unknown) => e instanceof UserError && /^method 'ogm-ge' does not combine with fusion '\w+' \(it is defined for late, mid/.test((e as Error).message) && !(e as Error).message.includes('\n'));
  }
});

/**
 * Learnable loss weights (Kendall et al.): the loss sum_i exp(-s_i) L_i + s_i/2, with s_i trained by
 * the run's optimizer. One plain SGD step from s = 0 moves each s_i by -lr * (1/2 - L_i), computed
 * here by hand from the heads' losses on the batch.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { parseTrainConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import { hookContext } from '../helpers/hook-context.js';
import { initEngine } from '../../src/engine/index.js';
import { createMethod } from '../../src/methods/registry.js';
import { MultiHeadModel } from '../../src/models/multihead-model.js';
import { evaluateHeads, meanOf } from '../../src/train/evaluate.js';
import type { EpochEvent, RunEvent } from '../../src/train/events.js';
import { trainEpochs } from '../../src/train/loop.js';
import { makeOptimizer } from '../../src/train/optimizer.js';
import { computeSplits, disposePrepared, prepareData } from '../../src/train/prepared-data.js';
import { trainOnDataset } from '../../src/train/run.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

before(async () => {
  await initEngine({ backend: 'wasm' });
});

const dataset = tinyDataset([{ name: 'a', shape: [5], separation: 1 }, { name: 'b', shape: [3], separation: 0.3 }], 10);

test('one SGD step moves s_i by -lr (1/2 - L_i)', async () => {
  const config = parseTrainConfig({ method: 'uncertainty', optimizer: { lr: 0.1, momentum: 0, weightDecay: 0 }, model: { mlpHidden: [6], fusedHidden: 5 } });
  const data = prepareData(dataset, computeSplits(dataset, 0.2, 0.2, 0));
  const model = new MultiHeadModel({
    encoders: [{ modality: 'a', inputShape: [5], kind: 'mlp' }, { modality: 'b', inputShape: [3], kind: 'mlp' }],
    heads: ['a', 'b', 'fused'], numClasses: 3, config: config.model,
  }, 4);
  const method = createMethod('uncertainty');
  const optimizer = makeOptimizer(config.optimizer);
  try {
    const weights = method.initialWeights(model.headNames);
    assert.deepEqual(method.saveState!(), { a: 0, b: 0, fused: 0 });
    const losses = await evaluateHeads(model, data, data.splits.train);
    const hooks = method.stepHooks!(model, hookContext({ epochs: 1, rng: createRng(0) }));
    const rows = data.splits.train;
    await trainEpochs({ model, data, rows, epochs: 1, weights: () => ({ weights, mode: 'all' }), optimizer, batchSize: rows.length, rng: createRng(1), hooks });
    const s = method.saveState!() as Record<string, number>;
    for (const h of ['a', 'b', 'fused']) {
      const expected = -0.1 * (0.5 - meanOf(losses.get(h)!.losses));
      assert.ok(Math.abs(s[h]! - expected) < 1e-5, `s_${h} = ${s[h]}, by hand ${expected}`);
    }
  } finally {
    method.dispose!();
    optimizer.dispose();
    model.dispose();
    disposePrepared(data);
  }
});

test('a run logs the weights exp(-s_i) per epoch and frees its variables', async () => {
  const config = parseTrainConfig({ method: 'uncertainty', epochs: 2, batchSize: 8, model: { mlpHidden: [6], fusedHidden: 5 } });
  const { memory } = await import('@tensorflow/tfjs-core');
  const start = memory().numTensors;
  const events: RunEvent[] = [];
  const run = await trainOnDataset(config, dataset, createMethod('uncertainty'), { onEvent: (e) => void events.push(e) });
  run.model.dispose();
  const epochs = events.filter((e): e is EpochEvent => e.event === 'epoch');
  assert.deepEqual(Object.keys(epochs[0]!.method!).sort(), ['weight_a', 'weight_b', 'weight_fused']);
  assert.equal(memory().numTensors, start);
});

/** The paper's training baselines as methods: pre-training then fine-tuning, and early stopping on V. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { parseTrainConfig } from '../../src/config/load.js';
import type { TrainConfigInput } from '../../src/config/schema.js';
import { initEngine } from '../../src/engine/index.js';
import { createMethod } from '../../src/methods/registry.js';
import { evaluateHeads, meanOf } from '../../src/train/evaluate.js';
import type { EpochEvent, MethodEndEvent, RunEvent } from '../../src/train/events.js';
import { computeSplits, prepareData } from '../../src/train/prepared-data.js';
import { trainOnDataset, type TrainedRun } from '../../src/train/run.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

before(async () => {
  await initEngine({ backend: 'wasm' });
});

// Few examples, many features and a large learning rate: V loss turns up within a few epochs.
const dataset = tinyDataset([{ name: 'a', shape: [30], separation: 0.4 }, { name: 'b', shape: [20], separation: 0.2 }], 12, 3);

async function run(options: TrainConfigInput): Promise<{ events: RunEvent[]; run: TrainedRun }> {
  const events: RunEvent[] = [];
  const config = parseTrainConfig({ batchSize: 8, valFraction: 0.25, model: { mlpHidden: [32], fusedHidden: 16 }, ...options });
  const run = await trainOnDataset(config, dataset, createMethod(config.method, config.methodOptions), { onEvent: (e) => void events.push(e) });
  return { events, run };
}
const epochs = (events: RunEvent[]) => events.filter((e): e is EpochEvent => e.event === 'epoch');

test('pretrain: uni-modal heads only for the first part, then the fused loss alone', async () => {
  const { events, run: r } = await run({ method: 'pretrain', epochs: 5, methodOptions: { pretrain: { fraction: 0.4 } } });
  r.model.dispose();
  assert.deepEqual(
    epochs(events).map((e) => e.weights),
    [...Array(2).fill({ a: 0.5, b: 0.5, fused: 0 }), ...Array(3).fill({ a: 0, b: 0, fused: 1 })],
  );
});

test('early-stop: stops after `patience` epochs without a better V loss and restores the best epoch', async () => {
  const { events, run: r } = await run({ method: 'early-stop', epochs: 40, optimizer: { lr: 0.2 }, methodOptions: { 'early-stop': { patience: 3 } } });
  try {
    const eps = epochs(events);
    const losses = eps.map((e) => e.heads.fused!.val_loss);
    const bestIndex = losses.indexOf(Math.min(...losses));
    assert.ok(eps.length < 40, `it should have stopped early (V losses ${losses.map((l) => l.toFixed(3)).join(' ')})`);
    assert.equal(eps.length, bestIndex + 1 + 3, 'stopped exactly patience epochs after the best');
    const end = events.find((e): e is MethodEndEvent => e.event === 'method_end')!;
    assert.equal(end.best_epoch, bestIndex + 1);
    // The model that reaches the test set is the best epoch's: its V loss is that epoch's again.
    const data = prepareData(dataset, computeSplits(dataset, 0.25, 0.2, 0));
    const onVal = await evaluateHeads(r.model, data, data.splits.val);
    assert.ok(Math.abs(meanOf(onVal.get('fused')!.losses) - losses[bestIndex]!) < 1e-6, 'restored weights');
  } finally {
    r.model.dispose();
  }
});

test('early-stop without patience trains every epoch, then restores the best', async () => {
  const { events, run: r } = await run({ method: 'early-stop', epochs: 6, methodOptions: { 'early-stop': { patience: null } } });
  r.model.dispose();
  assert.equal(epochs(events).length, 6);
  assert.ok(events.some((e) => e.event === 'method_end'));
});

test('early-stop: its state (best epoch and weights) survives saveState/loadState into a fresh method object', async () => {
  const { run: r } = await run({ method: 'early-stop', epochs: 3, methodOptions: { 'early-stop': { patience: null } } });
  try {
    const a = createMethod('early-stop');
    a.initialWeights(['fused']);
    a.afterEpoch!(1, { fused: { train_loss: 1, val_loss: 0.7, train_acc: 0.5, val_acc: 0.5 } }, r.model);
    const saved = JSON.parse(JSON.stringify(a.saveState!())) as unknown;
    const before = r.model.variables().map((v) => Array.from(v.dataSync()));
    r.model.variables().forEach((v) => v.assign(tf.zerosLike(v)));
    const b = createMethod('early-stop');
    b.initialWeights(['fused']);
    b.loadState!(saved);
    assert.deepEqual(b.finish!(r.model), { best_epoch: 1, best_val_loss: 0.7 });
    assert.deepEqual(r.model.variables().map((v) => Array.from(v.dataSync())), before);
  } finally {
    r.model.dispose();
  }
});

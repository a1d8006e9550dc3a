/** Methods as strategies on the one loop: which heads train, when estimates happen, what is logged. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { parseTrainConfig } from '../../src/config/load.js';
import type { TrainConfigInput } from '../../src/config/schema.js';
import { initEngine } from '../../src/engine/index.js';
import type { BlendEstimateEvent, EpochEvent, RunEvent } from '../../src/train/events.js';
import { createMethod } from '../../src/methods/registry.js';
import { trainOnDataset } from '../../src/train/run.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

before(async () => {
  await initEngine({ backend: 'wasm' });
});

const dataset = tinyDataset(
  [
    { name: 'a', shape: [6], separation: 1.5 },
    { name: 'b', shape: [4], separation: 0.3 },
  ],
  20,
  6,
);

async function run(options: TrainConfigInput): Promise<{ events: RunEvent[]; test: Record<string, { acc: number }> }> {
  const events: RunEvent[] = [];
  const config = parseTrainConfig({ batchSize: 16, valFraction: 0.2, model: { mlpHidden: [8], fusedHidden: 8 }, ...options });
  const result = await trainOnDataset(config, dataset, createMethod(config.method), { onEvent: (e) => void events.push(e) });
  result.model.dispose();
  return { events, test: result.test };
}

const estimates = (events: RunEvent[]) => events.filter((e): e is BlendEstimateEvent => e.event === 'blend_estimate');
const epochs = (events: RunEvent[]) => events.filter((e): e is EpochEvent => e.event === 'epoch');

test('online: an estimate before every super-epoch over its length; a shorter last one', async () => {
  const { events } = await run({ method: 'gblend-online', epochs: 7, blend: { warmupEpochs: 3, superEpochEpochs: 3 } });
  assert.deepEqual(estimates(events).map((e) => [e.epoch, e.epochs]), [[0, 3], [3, 3], [6, 1]]);
  const eps = epochs(events);
  assert.deepEqual(eps.map((e) => e.epoch), [1, 2, 3, 4, 5, 6, 7]);
  // Each epoch trains with the weights of the latest estimate.
  const [e0, e3, e6] = estimates(events);
  assert.deepEqual(eps[0]!.weights, e0!.weights);
  assert.deepEqual(eps[3]!.weights, e3!.weights);
  assert.deepEqual(eps[6]!.weights, e6!.weights);
  for (const e of estimates(events)) {
    assert.deepEqual(Object.keys(e.heads), ['a', 'b', 'fused']);
    const sum = Object.values(e.weights).reduce((s, w) => s + w, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `weights sum to ${sum}`);
    for (const h of Object.values(e.heads)) {
      assert.ok(Math.abs(h.dG - (h.lv0 - h.lv1)) < 1e-12);
      assert.ok(Math.abs(h.dO - (h.lv1 - h.lt1 - (h.lv0 - h.lt0))) < 1e-12);
    }
  }
});

test('online, cheaper: an estimate before every k-th super-epoch (the others keep its weights), copies trained for at most estimateEpochs', async () => {
  const { events } = await run({ method: 'gblend-online', epochs: 9, blend: { warmupEpochs: 2, superEpochEpochs: 2, estimateEvery: 2, estimateEpochs: 1 } });
  // Super-epochs start at 0, 2, 4, 6, 8: estimates before the 1st, 3rd and 5th, each over 1 epoch.
  assert.deepEqual(estimates(events).map((e) => [e.epoch, e.epochs]), [[0, 1], [4, 1], [8, 1]]);
  const eps = epochs(events);
  const [e0, e4] = estimates(events);
  assert.deepEqual(eps[3]!.weights, e0!.weights);
  assert.deepEqual(eps[4]!.weights, e4!.weights);
  assert.deepEqual(eps[7]!.weights, e4!.weights);
});

test("every estimate records where each head's copy ended on V; with the loss metric the copy's V loss is LV at N + n", async () => {
  const { events } = await run({ method: 'gblend-online', epochs: 5, blend: { warmupEpochs: 2, superEpochEpochs: 3 } });
  const vSize = (events.find((e) => e.event === 'start') as { sizes: { val: number } }).sizes.val;
  for (const e of estimates(events)) {
    assert.deepEqual(Object.keys(e.copies ?? {}), ['a', 'b', 'fused']);
    for (const [h, copy] of Object.entries(e.copies!)) {
      assert.equal(copy.val_loss, e.heads[h]!.lv1, `${h} after epoch ${e.epoch}`);
      // A mean of 0/1 over V: a whole number of examples.
      const correct = copy.val_acc * vSize;
      assert.ok(Math.abs(correct - Math.round(correct)) < 1e-9 && copy.val_acc >= 0 && copy.val_acc <= 1, `${h} val_acc ${copy.val_acc}`);
    }
  }
});

test('offline: one estimate at the start over all epochs (or estimateEpochs), weights then fixed', async () => {
  const all = await run({ method: 'gblend-offline', epochs: 3 });
  assert.deepEqual(estimates(all.events).map((e) => [e.epoch, e.epochs]), [[0, 3]]);
  const w = estimates(all.events)[0]!.weights;
  for (const e of epochs(all.events)) assert.deepEqual(e.weights, w);
  const short = await run({ method: 'gblend-offline', epochs: 3, blend: { estimateEpochs: 1 } });
  assert.deepEqual(estimates(short.events).map((e) => [e.epoch, e.epochs]), [[0, 1]]);
});

test('baselines: heads and fixed weights per method, no estimates', async () => {
  const cases: [string, Record<string, number>][] = [
    ['uni:b', { b: 1 }],
    ['naive', { fused: 1 }],
    ['aux', { a: 1 / 3, b: 1 / 3, fused: 1 / 3 }],
  ];
  for (const [method, weights] of cases) {
    const { events, test } = await run({ method, epochs: 2 });
    assert.equal(estimates(events).length, 0, method);
    assert.deepEqual(epochs(events)[1]!.weights, weights, method);
    assert.deepEqual(Object.keys(test), Object.keys(weights), method);
  }
});

test('epoch and test events carry per-head metrics in range; top-5 only with more than 5 classes', async () => {
  const { events } = await run({ method: 'aux', epochs: 2 });
  for (const e of epochs(events)) {
    for (const s of Object.values(e.heads)) {
      assert.ok(s.train_loss > 0 && Number.isFinite(s.val_loss));
      assert.ok(s.train_acc >= 0 && s.train_acc <= 1 && s.val_acc >= 0 && s.val_acc <= 1);
    }
  }
  const t = events.find((e) => e.event === 'test');
  assert.ok(t && t.event === 'test');
  for (const m of Object.values(t.heads)) {
    assert.ok(m.top5 !== undefined && m.top5 >= m.acc);
    assert.ok(m.macro_f1 >= 0 && m.macro_f1 <= 1);
  }
});

test('the same seed reproduces a run exactly; another seed does not', async () => {
  const options = { method: 'gblend-online', epochs: 3, blend: { warmupEpochs: 1, superEpochEpochs: 1 }, model: { mlpHidden: [8], fusedHidden: 8, dropout: 0.3 } };
  const a = await run({ ...options, seed: 3 });
  const b = await run({ ...options, seed: 3 });
  const c = await run({ ...options, seed: 4 });
  const strip = (events: RunEvent[]) => JSON.stringify(events.map((e) => ({ ...e, seconds: 0 })));
  assert.equal(strip(a.events), strip(b.events));
  assert.notEqual(strip(a.events), strip(c.events));
});

test('fusion methods refuse a single modality; uni refuses an unknown one', async () => {
  const one = tinyDataset([{ name: 'a', shape: [3], separation: 1 }]);
  await assert.rejects(trainOnDataset(parseTrainConfig({ method: 'naive' }), one, createMethod('naive')), /method 'naive' needs at least 2 modalities/);
  await assert.rejects(trainOnDataset(parseTrainConfig({ method: 'uni:zz' }), one, createMethod('uni:zz')), /no modality 'zz' \(have: a\)/);
});

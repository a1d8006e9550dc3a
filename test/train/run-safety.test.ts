/**
 * Issue 8, defects 6 and 11 at the library level: a non-finite loss stops the run at the step that
 * produced it (before the update reaches the weights), and warnings about the data's classes arrive
 * through the event channel, never printed by the library.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { parseTrainConfig } from '../../src/config/load.js';
import type { TrainConfigInput } from '../../src/config/schema.js';
import type { Dataset } from '../../src/data/index.js';
import { initEngine } from '../../src/engine/index.js';
import { DivergedError } from '../../src/train/diverged.js';
import type { RunEvent } from '../../src/train/events.js';
import { createMethod } from '../../src/methods/registry.js';
import { trainOnDataset } from '../../src/train/run.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

before(async () => {
  await initEngine({ backend: 'wasm' });
});

const base = (): Dataset => tinyDataset([{ name: 'a', shape: [5], separation: 1.5 }, { name: 'b', shape: [3], separation: 1 }], 15, 3);

async function events(dataset: Dataset, options: TrainConfigInput): Promise<RunEvent[]> {
  const seen: RunEvent[] = [];
  const config = parseTrainConfig({ method: 'naive', epochs: 1, batchSize: 16, model: { mlpHidden: [8], fusedHidden: 8 }, ...options });
  const run = await trainOnDataset(config, dataset, createMethod(config.method), { onEvent: (e) => void seen.push(e) });
  run.model.dispose();
  return seen;
}

test('a diverging loss throws DivergedError at its step; no epoch with NaN is reported', async () => {
  const seen: RunEvent[] = [];
  const config = parseTrainConfig({ method: 'aux', epochs: 4, batchSize: 8, seed: 3, optimizer: { lr: 1e6 }, model: { mlpHidden: [8], fusedHidden: 8 } });
  await assert.rejects(trainOnDataset(config, base(), createMethod(config.method), { onEvent: (e) => void seen.push(e) }), (err: unknown) => {
    assert.ok(err instanceof DivergedError, String(err));
    assert.equal(err.code, 'DIVERGED');
    assert.ok(!Number.isFinite(err.loss));
    assert.ok(err.step >= 1 && err.step <= err.steps, err.message);
    assert.match(err.message, new RegExp(`^method aux, seed 3: the training loss became \\S+ at epoch ${err.epoch}, step ${err.step} of ${err.steps}: training diverged`));
    return true;
  });
  for (const e of seen) if (e.event === 'epoch') for (const h of Object.values(e.heads)) assert.ok(Number.isFinite(h.train_loss), `epoch ${e.epoch}`);
});

test('labels that use one class only: a warning event, the run still completes', async () => {
  const ds = base();
  ds.labels.fill(1);
  const warnings = (await events(ds, {})).filter((e) => e.event === 'warning');
  assert.deepEqual(warnings.map((w) => w.event === 'warning' && w.message), [
    "the labels use one class only ('c1' of 3): the model cannot learn to tell classes apart, and every score is trivial",
  ]);
});

test('a class too small for the split: a warning naming it and the side it misses', async () => {
  const ds = base();
  // Class c2 keeps 2 of its 15 examples: one goes to test, the other is left for training, none for V.
  let kept = 0;
  ds.labels.forEach((y, i) => {
    if (y === 2 && kept++ >= 2) ds.labels[i] = 0;
  });
  const warnings = (await events(ds, {})).flatMap((e) => (e.event === 'warning' ? [e.message] : []));
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0]!, /^class 'c2' has too few examples for the split \(e\.g\. 'c2': 2 examples, none in V\)/);
});

test('a healthy dataset: no warnings', async () => {
  assert.deepEqual((await events(base(), {})).filter((e) => e.event === 'warning'), []);
});

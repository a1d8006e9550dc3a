/**
 * The loop's per-step hooks (beforeStep, afterBackward, afterStep, afterEpoch) and the model's map
 * from variables to the encoder or head that owns them: what a balancing method acts through.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { parseTrainConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import { initEngine } from '../../src/engine/index.js';
import { MultiHeadModel, type VariableOwner } from '../../src/models/multihead-model.js';
import { trainEpochs, type LoopHooks, type StepWeights } from '../../src/train/loop.js';
import { makeOptimizer } from '../../src/train/optimizer.js';
import { computeSplits, disposePrepared, prepareData, type PreparedData } from '../../src/train/prepared-data.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

before(async () => {
  await initEngine({ backend: 'wasm' });
});

const config = parseTrainConfig({ optimizer: { weightDecay: 0 }, model: { mlpHidden: [7], fusedHidden: 6 } });
const ds = tinyDataset([{ name: 'a', shape: [5], separation: 1 }, { name: 'b', shape: [4], separation: 0.5 }], 10);
const ALL: StepWeights = { weights: { a: 1 / 3, b: 1 / 3, fused: 1 / 3 }, mode: 'all' };

function newModel(): MultiHeadModel {
  return new MultiHeadModel({
    encoders: [{ modality: 'a', inputShape: [5], kind: 'mlp' }, { modality: 'b', inputShape: [4], kind: 'mlp' }],
    heads: ['a', 'b', 'fused'], numClasses: 3, config: config.model,
  }, 3);
}

/** Trains a fresh model for `epochs` epochs with `hooks` and returns its weights (by variable name) before and after. */
async function trainWith(makeHooks: ((model: MultiHeadModel) => LoopHooks) | undefined, epochs = 2, weights: StepWeights = ALL): Promise<{ model: MultiHeadModel; before: Map<string, Float32Array>; after: Map<string, Float32Array> }> {
  const data: PreparedData = prepareData(ds, computeSplits(ds, 0.2, 0.2, 0));
  const model = newModel();
  const snapshot = (): Map<string, Float32Array> => new Map(model.variables().map((v) => [v.name, v.dataSync() as Float32Array]));
  const optimizer = makeOptimizer(config.optimizer);
  const hooks = makeHooks?.(model);
  try {
    const before = snapshot();
    await trainEpochs({ model, data, rows: data.splits.train, epochs, weights: () => weights, optimizer, batchSize: 8, rng: createRng(5), ...(hooks ? { hooks } : {}) });
    return { model, before, after: snapshot() };
  } finally {
    optimizer.dispose();
    disposePrepared(data);
  }
}

const changed = (a: Float32Array, b: Float32Array): boolean => a.some((x, i) => x !== b[i]);

test('variableOwners: every trainable variable once, encoders by modality, heads by name', () => {
  const model = newModel();
  try {
    const owners = model.variableOwners();
    const names = model.variables().map((v) => v.name);
    assert.deepEqual([...owners.keys()].sort(), [...names].sort());
    const count = (pred: (o: ReturnType<typeof owners.get>) => boolean): number => [...owners.values()].filter(pred).length;
    // Each MLP encoder: one dense layer (kernel + bias); each uni head: one dense; fused: two dense.
    assert.equal(count((o) => o?.kind === 'encoder' && o.modality === 'a'), 2);
    assert.equal(count((o) => o?.kind === 'encoder' && o.modality === 'b'), 2);
    assert.equal(count((o) => o?.kind === 'head' && o.head === 'a'), 2);
    assert.equal(count((o) => o?.kind === 'head' && o.head === 'fused'), 4);
  } finally {
    model.dispose();
  }
});

test('hooks run in order, once per step, with 0-based epoch and step and the batch', async () => {
  const calls: string[] = [];
  const rows = new Set<number>();
  const { model } = await trainWith(() => ({
    beforeStep: (i) => void calls.push(`before ${i.epoch}.${i.step}`),
    afterBackward: (g, t, i) => {
      calls.push(`backward ${i.epoch}.${i.step}`);
      assert.deepEqual([...t.logits.keys()], ['a', 'b', 'fused']);
      assert.deepEqual(t.logits.get('fused')!.shape, [i.batch.length, 3]);
      return g;
    },
    afterStep: (i, loss) => {
      calls.push(`after ${i.epoch}.${i.step}`);
      if (i.epoch === 0) i.batch.forEach((r) => rows.add(r));
      assert.ok(Number.isFinite(loss) && loss > 0);
    },
    afterEpoch: async (e) => void calls.push(`epoch ${e}`),
  }));
  model.dispose();
  // 30 examples, 20% test and 20% of the rest to V: 18 training rows, batches of 8 -> 3 steps an epoch.
  assert.equal(rows.size, 18);
  const expected: string[] = [];
  for (const e of [0, 1]) {
    for (const s of [0, 1, 2]) expected.push(`before ${e}.${s}`, `backward ${e}.${s}`, `after ${e}.${s}`);
    expected.push(`epoch ${e}`);
  }
  assert.deepEqual(calls, expected);
});

test('hooks that change nothing leave training bit for bit as without hooks, and leak no tensor', async () => {
  const plain = await trainWith(undefined);
  plain.model.dispose();
  const start = tf.memory().numTensors;
  const hooked = await trainWith(() => ({ beforeStep: () => undefined, afterBackward: (g) => g, afterStep: (_, loss) => assert.ok(loss > 0) }));
  hooked.model.dispose();
  assert.equal(tf.memory().numTensors, start);
  // Two models have distinct variable names (tfjs makes them unique): compare in variables() order.
  const hookedWeights = [...hooked.after.values()];
  [...plain.after].forEach(([name, w], i) => assert.ok(!changed(w, hookedWeights[i]!), name));
});

test("afterBackward acts per modality: zeroing encoder b's gradients freezes exactly that encoder", async () => {
  let owners = new Map<string, VariableOwner>();
  const { model, before, after } = await trainWith((m) => ((owners = m.variableOwners()), {
    afterBackward: (grads) => {
      const out: tf.NamedTensorMap = {};
      for (const [name, g] of Object.entries(grads)) {
        const o = owners.get(name);
        out[name] = o?.kind === 'encoder' && o.modality === 'b' ? tf.zerosLike(g) : g;
      }
      return out;
    },
  }));
  model.dispose();
  for (const [name, o] of owners) {
    const frozen = o.kind === 'encoder' && o.modality === 'b';
    assert.equal(changed(before.get(name)!, after.get(name)!), !frozen, `${name} (${JSON.stringify(o)})`);
  }
});

test("beforeStep sets a step's weights: only head a trains when its weight is the only one", async () => {
  let owners = new Map<string, VariableOwner>();
  const { model, before, after } = await trainWith((m) => ((owners = m.variableOwners()), { beforeStep: (): StepWeights => ({ weights: { a: 1 }, mode: 'all' }) }));
  model.dispose();
  for (const [name, o] of owners) {
    const trains = (o.kind === 'encoder' && o.modality === 'a') || (o.kind === 'head' && o.head === 'a');
    assert.equal(changed(before.get(name)!, after.get(name)!), trains, `${name} (${JSON.stringify(o)})`);
  }
});

/**
 * The native whole step (src/train/native-step.ts) against the tfjs path it replaces: the same
 * model from the same seed, trained through the one loop with the same batches, follows the same
 * loss curve within the native-vs-wasm test's tolerance (each step's loss within
 * 1e-5 * max(1, |loss|): test/engine/native/training.test.ts), ends with the same weights, and
 * evaluates every head alike; with dropout too, whose masks must then be tfjs' own. Also: which
 * models and hooks take the fast path, and that a diverged step leaves the weights alone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig, OptimizerConfig } from '../../src/config/schema.js';
import { createRng } from '../../src/core/rng.js';
import { initEngine } from '../../src/engine/index.js';
import { chooseEncoderKind } from '../../src/models/encoders.js';
import { FUSED } from '../../src/models/heads.js';
import { mlpPlan } from '../../src/models/mlp-plan.js';
import { MultiHeadModel } from '../../src/models/multihead-model.js';
import { DivergedError } from '../../src/train/diverged.js';
import { evaluateHeads } from '../../src/train/evaluate.js';
import { trainEpochs, type LoopHooks, type StepWeights } from '../../src/train/loop.js';
import { MAX_NATIVE_BATCH, nativeStepper, setNativeSteps } from '../../src/train/native-step.js';
import { makeOptimizer } from '../../src/train/optimizer.js';
import { computeSplits, disposePrepared, prepareData, type PreparedData } from '../../src/train/prepared-data.js';
import type { NativeBackend } from '../../src/engine/native/index.js';
import { nativeSkip } from '../engine/native/helpers.js';
import { tinyDataset, type TinyModality } from '../helpers/tiny-dataset.js';

const skip = nativeSkip();
const TOLERANCE = 1e-5;

const mlp: ModelConfig = { mlpHidden: [32, 16], convChannels: [4], convFeatures: 16, fusedHidden: 16, dropout: 0, fusedDropout: 0, fusion: 'late', lmfRank: 4 };
const twoViews: TinyModality[] = [{ name: 'a', shape: [12], separation: 1 }, { name: 'b', shape: [7], separation: 0.5 }];

interface Setup {
  name: string;
  modalities: TinyModality[];
  heads: string[];
  model?: ModelConfig;
  optimizer: OptimizerConfig;
  /** The weights of each epoch (0-based). */
  weights: (epoch: number) => StepWeights;
}

const setups: Setup[] = [
  {
    name: 'three heads, momentum SGD with weight decay, plain sum',
    modalities: twoViews, heads: ['a', 'b', FUSED],
    optimizer: { kind: 'sgd', lr: 0.02, momentum: 0.9, weightDecay: 1e-3 },
    weights: () => ({ weights: { a: 1, b: 1, [FUSED]: 1 }, mode: 'all' }),
  },
  {
    name: 'three heads, Adam, weights changing each epoch (shared blend, one head at 0)',
    modalities: twoViews, heads: ['a', 'b', FUSED],
    optimizer: { kind: 'adam', lr: 0.003, momentum: 0.9, weightDecay: 1e-4 },
    weights: (e) => ({ weights: e % 2 === 0 ? { a: 0.2, b: 0.3, [FUSED]: 0.5 } : { a: 0, b: 0.6, [FUSED]: 0.4 }, mode: 'shared' }),
  },
  {
    name: 'three heads, momentum SGD, shared-full with a tiny weight',
    modalities: twoViews, heads: ['a', 'b', FUSED],
    optimizer: { kind: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 1e-4 },
    weights: () => ({ weights: { a: 0.0005, b: 0.3, [FUSED]: 0.7 }, mode: 'shared-full' }),
  },
  {
    name: 'fused head only (naive), three views, one of them [3, 4] flattened',
    modalities: [...twoViews, { name: 'c', shape: [3, 4], separation: 0.8 }], heads: [FUSED],
    model: { ...mlp, mlpHidden: [24] },
    optimizer: { kind: 'sgd', lr: 0.02, momentum: 0.9, weightDecay: 1e-4 },
    weights: () => ({ weights: { [FUSED]: 1 }, mode: 'all' }),
  },
  {
    name: 'three heads with dropout after every encoder layer and on the fused input (the masks tfjs draws)',
    modalities: twoViews, heads: ['a', 'b', FUSED],
    model: { ...mlp, dropout: 0.2, fusedDropout: 0.3 },
    optimizer: { kind: 'sgd', lr: 0.02, momentum: 0.9, weightDecay: 1e-4 },
    weights: () => ({ weights: { a: 0.3, b: 0.3, [FUSED]: 0.4 }, mode: 'shared' }),
  },
  {
    name: 'fused head alone, fused-input dropout only, Adam',
    modalities: twoViews, heads: [FUSED],
    model: { ...mlp, fusedDropout: 0.5 },
    optimizer: { kind: 'adam', lr: 0.003, momentum: 0.9, weightDecay: 0 },
    weights: () => ({ weights: { [FUSED]: 1 }, mode: 'all' }),
  },
  {
    name: 'one uni-modal head (an estimate copy), Adam',
    modalities: twoViews.slice(0, 1), heads: ['a'],
    optimizer: { kind: 'adam', lr: 0.005, momentum: 0.9, weightDecay: 0 },
    weights: () => ({ weights: { a: 1 }, mode: 'all' }),
  },
];

function setupModel(setup: Setup, data: PreparedData, ds: ReturnType<typeof tinyDataset>): MultiHeadModel {
  return new MultiHeadModel({
    encoders: ds.modalities.map((m) => ({ modality: m.name, inputShape: m.shape, kind: m.shape.length === 1 ? chooseEncoderKind(m.name, m.shape, null) : 'mlp' })),
    heads: setup.heads,
    numClasses: data.classes.length,
    config: setup.model ?? mlp,
  }, 7);
}

interface Trained {
  losses: number[];
  weights: Float32Array[];
  evaluation: Map<string, { losses: Float32Array; correct: Uint8Array; scores: Float32Array | null }>;
  native: boolean;
}

/** Trains `setup` for 6 epochs through the loop, native steps on or off; per-step losses, final weights and evaluation. */
async function train(setup: Setup, nativeSteps: boolean): Promise<Trained> {
  await initEngine({ backend: 'native' });
  const before = setNativeSteps(nativeSteps);
  const ds = tinyDataset(setup.modalities, 40, 3, 5);
  const data = prepareData(ds, computeSplits(ds, 0.2, 0.2, 1));
  const model = setupModel(setup, data, ds);
  const optimizer = makeOptimizer(setup.optimizer);
  const losses: number[] = [];
  let epoch = 0;
  const hooks: LoopHooks = { afterStep: (_info, loss) => void losses.push(loss), afterEpoch: async () => void epoch++ };
  try {
    const native = nativeStepper(model, data, optimizer, hooks, 16) !== null;
    await trainEpochs({ model, data, rows: data.splits.train, epochs: 6, weights: () => setup.weights(epoch), optimizer, batchSize: 16, rng: createRng(3), hooks });
    const evaluation = await evaluateHeads(model, data, [...data.splits.val, ...data.splits.test], true);
    return { losses, weights: model.variables().map((v) => v.dataSync() as Float32Array), evaluation, native };
  } finally {
    setNativeSteps(before);
    optimizer.dispose();
    model.dispose();
    disposePrepared(data);
  }
}

function worstRelative(got: ArrayLike<number>, want: ArrayLike<number>): { worst: number; at: number } {
  let worst = 0;
  let at = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!));
    if (!(err <= worst)) [worst, at] = [err, i];
  }
  return { worst, at };
}

for (const setup of setups) {
  test(`the native step follows the tfjs step's loss curve: ${setup.name}`, { skip }, async () => {
    const want = await train(setup, false);
    const got = await train(setup, true);
    assert.equal(want.native, false);
    assert.equal(got.native, true, 'the setup takes the native path');
    assert.equal(got.losses.length, want.losses.length);
    const { worst, at } = worstRelative(got.losses, want.losses);
    assert.ok(worst <= TOLERANCE, `step ${at}: native ${got.losses[at]} vs tfjs ${want.losses[at]} (relative ${worst})`);
    assert.ok(want.losses.at(-1)! < 0.8 * want.losses[0]!, `the model trains (loss ${want.losses[0]} -> ${want.losses.at(-1)})`);
    got.weights.forEach((w, i) => {
      const d = worstRelative(w, want.weights[i]!);
      assert.ok(d.worst <= 1e-4, `variable ${i}: element ${d.at} ${w[d.at]} vs ${want.weights[i]![d.at]}`);
    });
    for (const [head, w] of want.evaluation) {
      const g = got.evaluation.get(head)!;
      assert.ok(worstRelative(g.losses, w.losses).worst <= 1e-4, `${head}: evaluation losses`);
      assert.ok(worstRelative(g.scores!, w.scores!).worst <= 1e-4, `${head}: evaluation logits`);
      const agree = g.correct.filter((c, i) => c === w.correct[i]).length;
      assert.ok(agree >= g.correct.length - 1, `${head}: ${g.correct.length - agree} rows judged differently`);
    }
  });
}

test('the native evaluation of a model equals the tfjs one on the same weights', { skip }, async () => {
  await initEngine({ backend: 'native' });
  const ds = tinyDataset(twoViews, 30, 4, 2);
  const data = prepareData(ds, computeSplits(ds, 0.2, 0.2, 1));
  const model = setupModel(setups[0]!, data, ds);
  try {
    const rows = Array.from({ length: ds.labels.length }, (_, i) => i);
    const native = await evaluateHeads(model, data, rows, true);
    const before = setNativeSteps(false);
    const reference = await evaluateHeads(model, data, rows, true).finally(() => setNativeSteps(before));
    for (const [head, want] of reference) {
      const got = native.get(head)!;
      assert.ok(worstRelative(got.losses, want.losses).worst <= 1e-6, `${head}: losses`);
      assert.ok(worstRelative(got.scores!, want.scores!).worst <= 1e-6, `${head}: logits`);
      assert.deepEqual(got.correct, want.correct, `${head}: correct`);
    }
  } finally {
    model.dispose();
    disposePrepared(data);
  }
});

test('the native step applies only where it computes what the tfjs step would', { skip }, async () => {
  await initEngine({ backend: 'native' });
  const ds = tinyDataset([...twoViews, { name: 'img', shape: [6, 6], separation: 1 }], 10, 3, 2);
  const data = prepareData(ds, computeSplits(ds, 0.2, 0.2, 1));
  const optimizer = makeOptimizer({ kind: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 0 });
  const models: MultiHeadModel[] = [];
  const build = (modalities: string[], config: ModelConfig = mlp): MultiHeadModel => {
    const m = new MultiHeadModel({
      encoders: ds.modalities.filter((x) => modalities.includes(x.name)).map((x) => ({ modality: x.name, inputShape: x.shape, kind: chooseEncoderKind(x.name, x.shape, null) })),
      heads: [...modalities, FUSED], numClasses: 3, config,
    }, 1);
    models.push(m);
    return m;
  };
  try {
    const plain = build(['a', 'b']);
    assert.notEqual(nativeStepper(plain, data, optimizer, {}, 8), null);
    assert.notEqual(nativeStepper(plain, data, optimizer, { beforeStep: () => undefined, afterStep: () => undefined }, 8), null, 'weights per step and callbacks are fine');
    assert.equal(nativeStepper(plain, data, optimizer, { afterBackward: (g) => g }, 8), null, 'a hook that changes the gradient');
    assert.equal(nativeStepper(plain, data, optimizer, { perHeadGradients: true }, 8), null);
    assert.equal(nativeStepper(plain, data, optimizer, { extraLoss: () => null }, 8), null);
    assert.notEqual(nativeStepper(build(['a', 'b'], { ...mlp, dropout: 0.1, fusedDropout: 0.1 }), data, optimizer, {}, 8), null, 'dropout');
    assert.match(String(mlpPlan(build(['a', 'img']))), /img encoder is a conv net/);
    assert.match(String(mlpPlan(build(['a', 'b'], { ...mlp, fusion: 'lmf' }))), /fusion is lmf/);
    assert.equal(nativeStepper(plain, data, { ...optimizer, fused: null }, {}, 8), null, 'a tfjs optimizer');
    assert.equal(nativeStepper(plain, data, optimizer, {}, MAX_NATIVE_BATCH + 1), null, 'a batch too big for the io buffer');
  } finally {
    for (const m of models) m.dispose();
    optimizer.dispose();
    disposePrepared(data);
  }
});

/** A three-head model on a tiny dataset, with a momentum optimizer, for `body`; everything disposed after. */
async function withTinyRun(lr: number, body: (run: { model: MultiHeadModel; data: PreparedData; train: () => Promise<void> }) => Promise<void>): Promise<void> {
  await initEngine({ backend: 'native' });
  const ds = tinyDataset(twoViews, 20, 3, 3);
  const data = prepareData(ds, computeSplits(ds, 0.2, 0.2, 1));
  const model = setupModel(setups[0]!, data, ds);
  const optimizer = makeOptimizer({ kind: 'sgd', lr, momentum: 0.9, weightDecay: 0 });
  const weights = (): StepWeights => ({ weights: { a: 1, b: 1, [FUSED]: 1 }, mode: 'all' });
  try {
    await body({ model, data, train: () => trainEpochs({ model, data, rows: data.splits.train, epochs: 1, weights, optimizer, batchSize: 8, rng: createRng(1) }) });
  } finally {
    optimizer.dispose();
    model.dispose();
    disposePrepared(data);
  }
}

test('tensors that step hooks make are freed with a native step, as with a tfjs one', { skip }, async () => {
  await withTinyRun(0.05, async ({ model, data }) => {
    const optimizer = makeOptimizer({ kind: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 0 });
    const hooks: LoopHooks = { beforeStep: () => void tf.scalar(1), afterStep: () => void tf.add(tf.scalar(1), 1) };
    try {
      assert.notEqual(nativeStepper(model, data, optimizer, hooks, 8), null);
      await trainEpochs({ model, data, rows: data.splits.train, epochs: 1, weights: () => ({ weights: { [FUSED]: 1 }, mode: 'all' }), optimizer, batchSize: 8, rng: createRng(1) });
      const tensors = tf.memory().numTensors;
      await trainEpochs({ model, data, rows: data.splits.train, epochs: 2, weights: () => ({ weights: { [FUSED]: 1 }, mode: 'all' }), optimizer, batchSize: 8, rng: createRng(2), hooks });
      assert.equal(tf.memory().numTensors, tensors);
    } finally {
      optimizer.dispose();
    }
  });
});

test('a native step whose loss is not finite stops the loop and leaves the weights as they were', { skip }, async () => {
  await withTinyRun(0.01, async ({ model, data, train }) => {
    // Infinite inputs make the first step's logits, and so its loss, NaN.
    const inputs = data.inputs['a']!;
    data.inputs['a'] = tf.mul(inputs, Infinity);
    inputs.dispose();
    const before = model.variables().map((v) => v.dataSync().slice());
    await assert.rejects(train(), (err: unknown) => err instanceof DivergedError && err.step === 1 && err.epoch === 1);
    model.variables().forEach((v, i) => assert.deepEqual(v.dataSync(), before[i], `variable ${v.name} unchanged`));
  });
});

test('a weight that another tensor shares is updated into fresh memory, and the sharer keeps the old values', { skip }, async () => {
  await withTinyRun(0.1, async ({ model, train }) => {
    const kernel = model.variables()[0]!;
    const held = tf.clone(kernel); // shares the kernel's data id
    const old = kernel.dataSync().slice();
    try {
      await train();
      assert.deepEqual(held.dataSync(), old, 'the clone still holds the old weights');
      assert.notDeepEqual(kernel.dataSync(), old, 'the kernel trained');
    } finally {
      held.dispose();
    }
  });
});

/** The addon's tensor table: slots, the capacity before it moves, free ids. */
function tableInfo(b: NativeBackend): { size: number; capacity: number; free: number } {
  b.addon.tableInfo();
  return { size: b.io[0]!, capacity: b.io[1]!, free: b.io[2]! };
}

test('a step that stores its weights afresh while the tensor table moves reads no stale pointer', { skip }, async () => {
  // The addon's table is a vector: storing a tensor when it is full moves it. A step must not hold
  // pointers into it across storing a fresh weight (it did once, and a comparison crashed).
  const finals: Float32Array[][] = [];
  for (const nativeSteps of [false, true]) {
    const before = setNativeSteps(nativeSteps);
    try {
      await withTinyRun(0.05, async ({ model, train }) => {
        const b = tf.backend() as NativeBackend;
        await train(); // the optimizer's state exists from here on: the next step stores only weights
        // Every weight shared: the next step stores all 16 afresh.
        const held: tf.Tensor[] = model.variables().map((v) => tf.clone(v));
        try {
          // No free ids, and the table 8 slots short of full: it moves at the step's ninth store.
          for (let t = tableInfo(b); t.free > 0 || t.size !== t.capacity - 8; t = tableInfo(b)) held.push(tf.zeros([1]));
          const { capacity } = tableInfo(b);
          await train();
          if (nativeSteps) assert.ok(tableInfo(b).capacity > capacity, 'the table moved during the run');
          finals.push(model.variables().map((v) => v.dataSync() as Float32Array));
        } finally {
          tf.dispose(held);
        }
      });
    } finally {
      setNativeSteps(before);
    }
  }
  finals[1]!.forEach((w, i) => assert.ok(worstRelative(w, finals[0]![i]!).worst <= 1e-4, `variable ${i}`));
});

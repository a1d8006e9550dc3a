/**
 * Training equivalence: the same gblend model, from the same seed, trained with the same
 * batches and dropout masks on native and on wasm, follows the same loss curve.
 *
 * Tolerance: the backends round differently (libtorch/OpenBLAS/oneDNN vs XNNPACK) and the
 * differences compound over steps; each step's loss may differ by at most
 * 1e-5 * max(1, |loss|). Observed on this machine: at most 5e-7 over 300 steps.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig, OptimizerConfig } from '../../../src/config/schema.js';
import { createRng } from '../../../src/core/rng.js';
import { initEngine } from '../../../src/engine/index.js';
import { chooseEncoderKind } from '../../../src/models/encoders.js';
import { FUSED } from '../../../src/models/heads.js';
import { MultiHeadModel } from '../../../src/models/multihead-model.js';
import { blendedLoss, type StepWeights } from '../../../src/train/loop.js';
import { makeOptimizer } from '../../../src/train/optimizer.js';
import { computeSplits, disposePrepared, gatherBatch, prepareData } from '../../../src/train/prepared-data.js';
import { tinyDataset, type TinyModality } from '../../helpers/tiny-dataset.js';
import { nativeSkip } from './helpers.js';

const skip = nativeSkip();
const STEPS = 300;
const BATCH = 16;

interface Setup {
  name: string;
  modalities: TinyModality[];
  model: ModelConfig;
  optimizer: OptimizerConfig;
  step: StepWeights;
}

const mlp: ModelConfig = { mlpHidden: [32, 16], convChannels: [4], convFeatures: 16, fusedHidden: 16, dropout: 0.2, fusedDropout: 0, fusion: 'late', lmfRank: 4 };

const setups: Setup[] = [
  {
    name: 'MLP encoders, Adam, weighted heads (shared blend)',
    modalities: [{ name: 'a', shape: [12], separation: 1 }, { name: 'b', shape: [7], separation: 0.5 }],
    model: mlp,
    optimizer: { kind: 'adam', lr: 0.003, momentum: 0.9, weightDecay: 1e-4 },
    step: { weights: { a: 0.2, b: 0.3, [FUSED]: 0.5 }, mode: 'shared' },
  },
  {
    name: 'MLP encoders, momentum SGD with weight decay, plain sum',
    modalities: [{ name: 'a', shape: [12], separation: 1 }, { name: 'b', shape: [7], separation: 0.5 }],
    model: mlp,
    optimizer: { kind: 'sgd', lr: 0.02, momentum: 0.9, weightDecay: 1e-3 },
    step: { weights: { a: 1, b: 1, [FUSED]: 1 }, mode: 'all' },
  },
  {
    name: 'conv and MLP encoders, Adam, weighted heads (shared blend)',
    modalities: [{ name: 'img', shape: [8, 8], separation: 0.7 }, { name: 'vec', shape: [6], separation: 0.7 }],
    model: { ...mlp, convChannels: [4, 6], convFeatures: 16 },
    optimizer: { kind: 'adam', lr: 0.002, momentum: 0.9, weightDecay: 1e-4 },
    step: { weights: { img: 0.4, vec: 0.1, [FUSED]: 0.5 }, mode: 'shared' },
  },
];

/** Per-step losses of STEPS training steps of `setup` on `backend`. */
async function lossCurve(setup: Setup, backend: 'native' | 'wasm'): Promise<number[]> {
  await initEngine({ backend });
  const before = tf.memory().numTensors;
  const ds = tinyDataset(setup.modalities, 30, 3, 5);
  const data = prepareData(ds, computeSplits(ds, 0.2, 0.2, 1));
  const model = new MultiHeadModel({
    encoders: ds.modalities.map((m) => ({ modality: m.name, inputShape: m.shape, kind: chooseEncoderKind(m.name, m.shape, null) })),
    heads: [...ds.modalities.map((m) => m.name), FUSED],
    numClasses: ds.classes.length,
    config: setup.model,
  }, 7);
  const optimizer = makeOptimizer(setup.optimizer);
  const variables = model.variables();
  const rng = createRng(3);
  const dropout = rng.fork('dropout');
  const losses: number[] = [];
  const rows = data.splits.train.slice();
  for (let step = 0; step < STEPS; step++) {
    const at = (step * BATCH) % rows.length;
    if (at < BATCH) rng.shuffle(rows);
    const batch = Int32Array.from(rows.slice(at, at + BATCH));
    const loss = tf.tidy(() => {
      const { inputs, oneHot } = gatherBatch(data, model.modalities, batch);
      const { value, grads } = tf.variableGrads(() => blendedLoss(model, inputs, oneHot, setup.step, () => dropout.int(2 ** 31 - 1)), variables);
      optimizer.apply(grads, variables);
      return value;
    });
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
  }
  optimizer.dispose();
  model.dispose();
  disposePrepared(data);
  assert.equal(tf.memory().numTensors, before, `${backend}: tensors leaked`);
  return losses;
}

for (const setup of setups) {
  test(`training on native follows wasm's loss curve: ${setup.name}`, { skip }, async () => {
    const want = await lossCurve(setup, 'wasm');
    const got = await lossCurve(setup, 'native');
    let worst = 0;
    let worstAt = 0;
    got.forEach((g, i) => {
      const err = Math.abs(g - want[i]!) / Math.max(1, Math.abs(want[i]!));
      if (!(err <= worst)) [worst, worstAt] = [err, i];
    });
    assert.ok(worst <= 1e-5, `step ${worstAt}: native loss ${got[worstAt]} vs wasm ${want[worstAt]} (relative ${worst})`);
    assert.ok(want[STEPS - 1]! < 0.7 * want[0]!, `the model trains (loss ${want[0]} -> ${want[STEPS - 1]})`);
  });
}
